"""The dashboard overview's snapshot of channels, read in one unit of work: the same prompts-left
figure as `eligible_count`, the newest sent posts first, each with its prompt and responses."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.core.domain import (
    PlatformName,
    PromptDraft,
    PromptStatus,
    ReactionAdded,
    ReplyPosted,
    ScheduleSpec,
)
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import daily, drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SLACK = PlatformName.SLACK


async def test_snapshots_show_prompts_left_and_the_newest_posts_with_responses(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _platform = make_service(store, clock)
    await service.sync_library(drafts(12))
    first = await daily(service)
    second = await daily(service, channel="C2")
    for _ in range(3):  # three days of posts in both channels
        clock.advance(timedelta(days=1))
        await service.post_due()
    posts = sorted(await service.posts_of(first.id), key=lambda p: p.slot_at)
    newest = posts[-1]
    at = clock.now()
    await service.handle_event(
        ReactionAdded(SLACK, "T1", "C1", newest.message_id or "", "U1", "🐯", at)
    )
    await service.handle_event(ReplyPosted(SLACK, "T1", "C1", newest.thread_id or "", "U2", at))

    snaps = await service.channel_snapshots([first, second], last_posts=2)

    assert [s.schedule.id for s in snaps] == [first.id, second.id]
    for snap in snaps:
        assert snap.prompts_left == await service.eligible_count(snap.schedule.id)
        assert snap.prompts_left == 12 - 3
        assert len(snap.last_posts) == 2
        slots = [p.post.slot_at for p in snap.last_posts]
        assert slots == sorted(slots, reverse=True)
        assert all(
            p.prompt is not None and p.prompt.id == p.post.prompt_id for p in snap.last_posts
        )
    top = snaps[0].last_posts[0]
    assert top.post.id == newest.id
    assert sorted(kind.value for _, kind, _, _ in top.responses) == ["reaction", "reply"]
    assert snaps[0].last_posts[1].responses == []


async def test_snapshots_of_two_communities_with_a_retired_prompt_and_an_idle_channel(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _platform = make_service(store, clock)
    await service.sync_library(drafts(8))
    first = await daily(service)
    spec = ScheduleSpec(times=(time(9, 0),), timezone="UTC")
    other, _missing = await service.add_schedule(SLACK, "T2", NewSchedule(0, "C9", spec))
    await service.add_prompts(  # counted in T2's prompts left only
        [PromptDraft("t2/own", "Only in T2?", "small-joys")], community_id=other.community_id
    )
    for _ in range(2):
        clock.advance(timedelta(days=1))
        await service.post_due()
    idle = await daily(service, channel="C3")
    newest = max(await service.posts_of(first.id), key=lambda p: p.slot_at)
    assert newest.prompt_id is not None
    retired = await service.set_prompt_status(newest.prompt_id, PromptStatus.RETIRED)

    snaps = await service.channel_snapshots([other, idle, first], last_posts=5)

    assert [s.schedule.id for s in snaps] == [other.id, idle.id, first.id]
    for snap in snaps:
        assert snap.prompts_left == await service.eligible_count(snap.schedule.id)
    assert snaps[1].last_posts == [] and snaps[1].prompts_left == 8 - 1  # one retired
    assert len(snaps[0].last_posts) == 2
    shown = snaps[2].last_posts
    assert shown[0].post.id == newest.id and len(shown) == 2
    assert shown[0].prompt is not None and shown[0].prompt.text == retired.text
    assert all(p.responses == [] for snap in snaps for p in snap.last_posts)
