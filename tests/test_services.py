"""Engagement recording, library sync, schedule control and preview."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.domain import (
    EngagementEvent,
    MemberSeen,
    PlatformName,
    PostStatus,
    PromptStatus,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
    Target,
)
from bot.core.ports import PlatformError, UnitOfWorkFactory
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import daily, drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SLACK = PlatformName.SLACK


async def test_reactions_and_replies_are_idempotent(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    clock.advance(timedelta(hours=1))
    await service.post_due()
    post = (await service.posts_of(schedule.id))[0]
    at = clock.now()
    events: list[EngagementEvent] = [
        ReactionAdded(SLACK, "T1", "C1", "m1", "U1", "🐯", at),
        ReactionAdded(SLACK, "T1", "C1", "m1", "U1", "🐯", at),  # a replay
        ReactionAdded(SLACK, "T1", "C1", "m1", "U2", "🐯", at),
        ReplyPosted(SLACK, "T1", "C1", "t1", "U3", at),
        ReplyPosted(SLACK, "T1", "C1", "t1", "U3", at),
        ReactionRemoved(SLACK, "T1", "C1", "m1", "U2", "🐯", at),
        ReactionAdded(SLACK, "T1", "C1", "other", "U9", "🐯", at),  # not a Tigerbird post
        ReactionAdded(SLACK, "T404", "C1", "m1", "U9", "🐯", at),  # unknown community
    ]
    for event in events:
        await service.handle_event(event)
    async with store() as u:
        responses = await u.responses.for_post(post.id)
        audience = await u.activity.audience(schedule.community_id, "C1", at - timedelta(days=28))
    assert sorted((k.value, e) for _, k, e, _ in responses) == [("reaction", "🐯"), ("reply", "")]
    assert all(len(m) == 32 and m not in ("U1", "U3") for m, _, _, _ in responses)
    assert audience == 3  # U1, U2, U3 all engaged with the post


async def test_member_seen_feeds_the_audience(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _ = make_service(store, clock)
    schedule = await daily(service)
    for member in ("a", "b", "a"):
        await service.handle_event(MemberSeen(SLACK, "T1", "C1", member, clock.now()))
    async with store() as u:
        assert await u.activity.audience(schedule.community_id, "C1", MONDAY_8) == 2


async def test_library_sync_adds_updates_retires_never_deletes(store: UnitOfWorkFactory) -> None:
    service, _ = make_service(store, FrozenClock(MONDAY_8))
    first = await service.sync_library(drafts(3))
    assert (first.added, first.updated, first.retired) == (3, 0, 0)
    edited = [replace(drafts(3)[0], text="What tiny joy did today hold?"), drafts(3)[1]]
    second = await service.sync_library(edited)
    assert (second.added, second.updated, second.retired, second.unchanged) == (0, 1, 1, 1)
    everything = await service.list_prompts(status=None)
    assert len(everything) == 3
    assert sorted(p.status.value for p in everything) == ["active", "active", "retired"]
    again = await service.sync_library(drafts(3))
    assert (again.updated, again.retired) == (2, 0)  # text restored; the retired one is back
    assert all(p.status is PromptStatus.ACTIVE for p in await service.list_prompts(status=None))


async def test_pause_resume_skip_and_preview(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service, tz="Europe/Paris")
    first = schedule.next_slot_at
    assert first == datetime(2026, 3, 2, 8, 0, tzinfo=UTC) or first == MONDAY_8 + timedelta(days=1)
    skipped = await service.skip_next(schedule.id)
    assert skipped.next_slot_at == (first or MONDAY_8) + timedelta(days=1)
    assert [p.status for p in await service.posts_of(schedule.id)] == [PostStatus.SKIPPED]
    await service.pause(schedule.id)
    clock.advance(timedelta(days=3))
    assert await service.post_due() == 0
    resumed = await service.resume(schedule.id)
    assert resumed.next_slot_at is not None and resumed.next_slot_at > clock.now()
    previews = await service.preview(schedule.id, 4)
    assert len(previews) == 4
    assert len({p.prompt.id for p in previews if p.prompt}) == 4
    assert all(p.local.hour == 9 for p in previews)
    assert platform.messages == []


async def test_post_now_posts_an_extra_prompt(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    post = await service.post_now(schedule.id)
    assert post is not None and post.status is PostStatus.SENT
    assert len(platform.messages) == 1
    assert (await service.get_schedule(schedule.id)).next_slot_at == MONDAY_8 + timedelta(hours=1)


async def test_reactions_missed_while_down_are_caught_up(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    clock.advance(timedelta(hours=1))
    await service.post_due()
    at = clock.now()
    await service.handle_event(ReactionAdded(SLACK, "T1", "C1", "m1", "U1", "🐯", at))
    await service.handle_event(ReactionAdded(SLACK, "T1", "C1", "m1", "U2", "🐯", at))
    # While the bot was down: U2 took theirs back, U3 and U4 reacted.
    platform.reactions["m1"] = {("U1", "🐯"), ("U3", "🐯"), ("U4", "🐦")}
    clock.advance(timedelta(hours=2))
    assert await service.catch_up_reactions() == 3
    assert await service.catch_up_reactions() == 0
    [post] = await service.posts_of(schedule.id)
    async with store() as u:
        stored = sorted((m, e) for m, _, e, _ in await u.responses.for_post(post.id))
    keys = {service.members.key(SLACK, m): m for m in ("U1", "U3", "U4")}
    assert sorted((keys[m], e) for m, e in stored) == [("U1", "🐯"), ("U3", "🐯"), ("U4", "🐦")]
    clock.advance(timedelta(days=2))
    platform.reactions["m1"] = set()
    assert await service.catch_up_reactions() == 0  # closed posts are left as they were


class SlowReactions(FakePlatform):
    """Answers a read of reactions only once three are waiting; fails the one on `broken`."""

    def __init__(self, clock: FrozenClock, broken: str) -> None:
        super().__init__(PlatformName.SLACK, clock)
        self.waiting = 0
        self.all_waiting = asyncio.Event()
        self.broken = broken

    async def current_reactions(self, community: str, target: Target) -> list[tuple[str, str]]:
        self.waiting += 1
        if self.waiting == 3:
            self.all_waiting.set()
        await self.all_waiting.wait()
        if target.channel == self.broken:
            raise PlatformError("Slack reactions.get failed: ratelimited", code="ratelimited")
        return [("U9", "🐯")]


async def test_catch_up_reads_posts_side_by_side_and_one_failure_spares_the_rest(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    platform = SlowReactions(clock, broken="C2")
    service, _ = make_service(store, clock, platform)
    await service.sync_library(drafts(20))
    for channel in ("C1", "C2", "C3"):
        await daily(service, channel)
    clock.advance(timedelta(hours=1))
    assert await service.post_due() == 3
    # one read at a time would wait forever for the other two
    assert await asyncio.wait_for(service.catch_up_reactions(), 5) == 2
