"""The exactly-once protocol through the service, on every store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.domain import CatchUp, PostStatus
from bot.core.ports import Missing, PlatformError, UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import daily, drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_a_due_slot_posts_exactly_once_with_its_marker(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    assert await service.post_due() == 0
    clock.advance(timedelta(hours=1))
    assert await service.post_due() == 1
    assert await service.post_due() == 0
    assert platform.posted_markers() == [f"tb:{schedule.id}:{int(clock.now().timestamp())}"]
    posts = await service.posts_of(schedule.id)
    assert [p.status for p in posts] == [PostStatus.SENT]
    assert posts[0].message_id == "m1" and posts[0].pick_probability == 1 / 20
    assert (await service.get_schedule(schedule.id)).next_slot_at == clock.now() + timedelta(days=1)


async def test_no_repeat_window_spreads_prompts(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(15))
    await daily(service)
    for _ in range(15):
        clock.advance(timedelta(days=1))
        await service.post_due()
    texts = [m.message.text for m in platform.messages]
    assert len(texts) == 15 and len(set(texts)) == 15


async def test_catch_up_policies_after_downtime(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(30))
    skip = await daily(service, "skip", CatchUp.SKIP)
    latest = await daily(service, "latest", CatchUp.LATEST)
    every = await daily(service, "all", CatchUp.ALL)  # catch_up_limit 3
    clock.advance(timedelta(days=5, hours=3))  # Mon..Sat 09:00 missed; now Sat 11:00
    await service.post_due()
    sent = {
        s.channel: [m for m in platform.messages if m.channel == s.channel]
        for s in (skip, latest, every)
    }
    assert len(sent["skip"]) == 0
    assert len(sent["latest"]) == 1
    assert len(sent["all"]) == 3
    statuses = [p.status for p in await service.posts_of(skip.id)]
    assert statuses == [PostStatus.SKIPPED] * 6


async def test_lost_answer_is_found_by_marker_not_posted_twice(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    clock.advance(timedelta(hours=1))
    platform.lose_reply = True
    await service.post_due()
    assert [p.status for p in await service.posts_of(schedule.id)] == [PostStatus.CLAIMED]
    assert await service.recover(lease=timedelta(0)) == 1
    assert len(platform.messages) == 1
    post = (await service.posts_of(schedule.id))[0]
    assert post.status is PostStatus.SENT and post.message_id == "m1"


async def test_transient_failure_is_retried_once_lease_expires(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    clock.advance(timedelta(hours=1))
    platform.fail_next = [PlatformError("503 from the platform")]
    await service.post_due()
    assert await service.recover() == 0  # the lease (2 minutes) still holds
    clock.advance(timedelta(minutes=3))
    assert await service.recover() == 1
    posts = await service.posts_of(schedule.id)
    assert [p.status for p in posts] == [PostStatus.SENT]
    assert len(platform.messages) == 1


async def test_own_transient_failure_is_retried_before_the_lease(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    clock.advance(timedelta(hours=1))
    platform.fail_next = [PlatformError("503 from the platform")]
    await service.post_due()
    clock.advance(timedelta(seconds=10))
    assert await service.recover() == 0
    clock.advance(timedelta(seconds=15))  # past the 20 s retry delay, well inside the lease
    assert await service.recover() == 1
    assert [p.status for p in await service.posts_of(schedule.id)] == [PostStatus.SENT]
    assert platform.transcript.count(f"find C1 {platform.messages[0].message.marker}") == 1


async def test_permanent_error_pauses_and_tells_managers_once(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    clock.advance(timedelta(hours=1))
    platform.fail_next = [PlatformError("channel_not_found", permanent=True)]
    await service.post_due()
    for _ in range(3):
        clock.advance(timedelta(days=1))
        await service.post_due()
    paused = await service.get_schedule(schedule.id)
    assert paused.paused and "channel_not_found" in (paused.pause_reason or "")
    assert len(platform.notices) == 1 and "channel_not_found" in platform.notices[0][1]
    assert platform.messages == []


async def test_missing_permission_at_creation_starts_paused(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    platform.missing["C1"] = [Missing("pin messages", "grant Pin Messages in #C1")]
    from bot.core.domain import PlatformName, ScheduleSpec
    from bot.core.ports import NewSchedule

    schedule, missing = await service.add_schedule(
        PlatformName.SLACK, "T1", NewSchedule(0, "C1", ScheduleSpec(), pin=True)
    )
    assert missing and schedule.paused
    assert "pin messages" in (schedule.pause_reason or "")


async def test_low_library_warns_managers(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(5))
    await daily(service)
    clock.advance(timedelta(hours=1))
    await service.post_due()
    clock.advance(timedelta(days=1))
    await service.post_due()
    assert len(platform.notices) == 1
    assert "About 5 days of prompts are left for #C1" in platform.notices[0][1]
    assert "small-joys (5)" in platform.notices[0][1]
    assert len(platform.messages) == 2


async def test_member_text_cannot_mention_anyone(store: UnitOfWorkFactory) -> None:
    from bot.core.domain import PromptDraft

    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(
        [PromptDraft("x/1", "Hey @everyone and <!channel> <@U1> <@&42>?", "food")]
    )
    await daily(service)
    clock.advance(timedelta(hours=1))
    await service.post_due()
    text = platform.messages[0].message.text
    for mention in ("@everyone", "<!channel>", "<@U1>", "<@&42>"):
        assert mention not in text
