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
from bot.analytics.lift_text import lift_line
from bot.chat.commands import describe
from bot.core.domain import ResponseKind, Schedule
from bot.scheduling.slot_times import local_time
from bot.service_layer.overview import ChannelSnapshot, PostSnapshot

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
    days_left: str = ""  # "23 days", "365+ days" (bot.learning.days_left)
    short_categories: str = ""  # named only when the days left are low


@routes.get("/c/{community_id}")
async def overview(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    service = dashboard_of(request).service
    community_id = caller.community.id
    shown, page, total = await service.schedule_page(
        community_id, page_number(request), CHANNELS_PER_PAGE
    )
    rows = [_channel(snap) for snap in await service.channel_snapshots(shown, LAST_POSTS)]
    listing = Listing(page, max(1, -(-total // CHANNELS_PER_PAGE)), total)
    lift = lift_line(await service.lift(caller.community.id), "in this community (all time)")
    return await render(
        request, "overview.html", caller=caller, channels=rows, listing=listing, lift=lift
    )


def _channel(snap: ChannelSnapshot) -> ChannelRow:
    schedule = snap.schedule
    nxt = None if schedule.paused else schedule.next_slot_at
    return ChannelRow(
        schedule=schedule,
        rhythm=describe(schedule),
        next_local=local_time(schedule.spec, nxt) if nxt else None,
        next_utc=nxt,
        prompts_left=snap.prompts_left,
        posts=[_post(schedule, p) for p in snap.last_posts],
        days_left=snap.days_left.label() if snap.days_left else "",
        short_categories=snap.days_left.short_label()
        if snap.days_left and snap.days_left.low
        else "",
    )


def _post(schedule: Schedule, snap: PostSnapshot) -> PostRow:
    post, responses, prompt = snap.post, snap.responses, snap.prompt
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
