"""Nothing given up silently: a post whose choice reaction, thread or pin failed stays claimed
with its message recorded, is finished within its lease or after a restart, is recorded sent
only once every part exists, and a part that cannot be done is told to the managers once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.domain import PlatformName, PostStatus, Schedule, ScheduleSpec
from bot.core.ports import NewSchedule, PlatformError, UnitOfWorkFactory
from bot.delivery.deliverer import DeliveryConfig
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import daily, drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SLOT_PASSED = timedelta(hours=1, seconds=1)


async def started(store: UnitOfWorkFactory) -> tuple[Tigerbird, FakePlatform, FrozenClock]:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    return service, platform, clock


async def pinned(service: Tigerbird) -> Schedule:
    spec = ScheduleSpec(times=(MONDAY_8.time().replace(hour=9),), timezone="UTC")
    schedule, missing = await service.add_schedule(
        PlatformName.SLACK, "T1", NewSchedule(0, "C1", spec, pin=True)
    )
    assert not missing
    return schedule


async def test_a_reaction_refused_for_now_is_added_within_the_lease_and_only_then_sent(
    store: UnitOfWorkFactory,
) -> None:
    service, platform, clock = await started(store)
    schedule = await daily(service)
    clock.advance(SLOT_PASSED)
    platform.part_failures = [(("reaction 🐯",), False)]

    await service.post_due()

    [post] = await service.posts_of(schedule.id)
    assert post.status is PostStatus.CLAIMED  # not complete, so not sent
    assert post.message_id == "m1" and "reaction 🐯" in (post.error or "")
    assert await service.recover() == 0  # the retry waits its delay ...
    clock.advance(DeliveryConfig().retry_delay)
    assert await service.recover() == 1  # ... and comes well before the lease ends

    [post] = await service.posts_of(schedule.id)
    assert post.status is PostStatus.SENT and post.message_id == "m1" and post.error is None
    assert platform.completed == ["m1"]
    assert len(platform.messages) == 1 and platform.notices == []
    assert not [line for line in platform.transcript if line.startswith("find")]


async def test_after_a_restart_the_missing_parts_of_a_recorded_message_are_added(
    store: UnitOfWorkFactory,
) -> None:
    service, platform, clock = await started(store)
    schedule = await daily(service)
    clock.advance(SLOT_PASSED)
    platform.part_failures = [(("thread",), False)]
    await service.post_due()
    restarted, _ = make_service(store, clock, platform)  # its own retries are forgotten
    clock.advance(DeliveryConfig().claim_lease)

    assert await restarted.recover() == 1

    [post] = await restarted.posts_of(schedule.id)
    assert post.status is PostStatus.SENT and post.thread_id == "t1"
    assert platform.completed == ["m1"] and len(platform.messages) == 1


async def test_a_message_found_after_a_crash_gets_its_parts_before_it_counts_as_sent(
    store: UnitOfWorkFactory,
) -> None:
    service, platform, clock = await started(store)
    schedule = await daily(service)
    clock.advance(SLOT_PASSED)
    platform.lose_reply = True  # posted; the process died before its reactions and thread
    await service.post_due()

    assert await service.recover(lease=timedelta(0)) == 1

    [post] = await service.posts_of(schedule.id)
    assert post.status is PostStatus.SENT and post.message_id == "m1"
    assert platform.completed == ["m1"] and len(platform.messages) == 1


async def test_a_part_that_cannot_be_done_is_told_to_the_managers_once(
    store: UnitOfWorkFactory,
) -> None:
    service, platform, clock = await started(store)
    schedule = await daily(service)
    clock.advance(SLOT_PASSED)
    platform.part_failures = [(("reaction 🐯", "thread"), True)]  # permissions removed

    await service.post_due()
    clock.advance(timedelta(minutes=5))
    await service.recover(lease=timedelta(0))

    [post] = await service.posts_of(schedule.id)
    assert post.status is PostStatus.SENT and post.message_id == "m1"
    assert "reaction 🐯, thread" in (post.error or "")
    [(community, text)] = platform.notices
    assert community == "T1" and "without reaction 🐯, thread" in text and "#C1" in text


async def test_a_part_still_failing_when_the_attempts_run_out_is_told_not_dropped(
    store: UnitOfWorkFactory,
) -> None:
    service, platform, clock = await started(store)
    schedule = await daily(service)
    clock.advance(SLOT_PASSED)
    platform.part_failures = [(("reaction 🐯",), False)] * 20

    await service.post_due()
    for _ in range(DeliveryConfig().max_attempts + 1):
        clock.advance(DeliveryConfig().claim_lease)
        await service.recover()

    [post] = await service.posts_of(schedule.id)
    assert post.status is PostStatus.SENT and "reaction 🐯" in (post.error or "")
    assert len(platform.messages) == 1
    assert len(platform.notices) == 1 and "without reaction 🐯" in platform.notices[0][1]


async def test_a_pin_refused_for_now_is_retried_and_the_post_sent_once_pinned(
    store: UnitOfWorkFactory,
) -> None:
    service, platform, clock = await started(store)
    schedule = await pinned(service)
    clock.advance(SLOT_PASSED)
    platform.pin_failures = [PlatformError("Slack pins.add failed: ratelimited")]

    await service.post_due()

    [post] = await service.posts_of(schedule.id)
    assert post.status is PostStatus.CLAIMED and post.message_id == "m1"
    clock.advance(DeliveryConfig().retry_delay)
    assert await service.recover() == 1
    [post] = await service.posts_of(schedule.id)
    assert post.status is PostStatus.SENT
    assert platform.messages[0].pinned and len(platform.messages) == 1
