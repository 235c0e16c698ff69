"""Overview of one community: each channel's schedule and next slot (local and UTC), the last
posts with responders, reactions, replies and engagement, and the library's health (prompts
left before one must repeat)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.manage import page_number
from adapters.web.render import render
from adapters.web.state import dashboard_of
from bot.chat.commands import describe
from bot.core.domain import Post, PostStatus, ResponseKind, Schedule
from bot.scheduling.slot_times import local_time
from bot.service_layer.services import Tigerbird

routes = web.RouteTableDef()
NAV = ("", "Overview")
LAST_POSTS = 5
CHANNELS_PER_PAGE = 20


@dataclass(frozen=True)
class Listing:
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class PostRow:
    slot_local: datetime
    prompt: str
    responders: int
    reactions: int
    replies: int
    engagement: str


@dataclass(frozen=True)
class ChannelRow:
    schedule: Schedule
    rhythm: str
    next_local: datetime | None
    next_utc: datetime | None
    prompts_left: int
    posts: list[PostRow]


@routes.get("/c/{community_id}")
async def overview(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    service = dashboard_of(request).service
    schedules = sorted(await service.list_schedules(caller.community.id), key=lambda s: s.id)
    pages = max(1, -(-len(schedules) // CHANNELS_PER_PAGE))
    page = min(page_number(request), pages)
    shown = schedules[(page - 1) * CHANNELS_PER_PAGE : page * CHANNELS_PER_PAGE]
    rows = [await _channel(service, s) for s in shown]
    listing = Listing(page, pages, len(schedules))
    return await render(request, "overview.html", caller=caller, channels=rows, listing=listing)


async def _channel(service: Tigerbird, schedule: Schedule) -> ChannelRow:
    sent = [p for p in await service.posts_of(schedule.id) if p.status is PostStatus.SENT]
    latest = sorted(sent, key=lambda p: p.slot_at, reverse=True)[:LAST_POSTS]
    nxt = None if schedule.paused else schedule.next_slot_at
    return ChannelRow(
        schedule=schedule,
        rhythm=describe(schedule),
        next_local=local_time(schedule.spec, nxt) if nxt else None,
        next_utc=nxt,
        prompts_left=await service.eligible_count(schedule.id),
        posts=[await _post(service, schedule, p) for p in latest],
    )


async def _post(service: Tigerbird, schedule: Schedule, post: Post) -> PostRow:
    responses, prompt = await service.post_responses(post)
    people = {member for member, _, _, _ in responses}
    reactions = sum(1 for _, kind, _, _ in responses if kind is ResponseKind.REACTION)
    replies = sum(1 for _, kind, _, _ in responses if kind is ResponseKind.REPLY)
    responders = post.responders if post.responders is not None else len(people)
    if post.audience:
        engagement = f"{responders / post.audience:.0%} of {post.audience} active"
    else:
        engagement = "not measured yet"
    return PostRow(
        slot_local=local_time(schedule.spec, post.slot_at),
        prompt=prompt.text if prompt else "(prompt removed)",
        responders=responders,
        reactions=reactions,
        replies=replies,
        engagement=engagement,
    )
