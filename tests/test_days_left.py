"""Days left before a channel's library runs out of non-repeats (bot.learning.days_left), the
managers' notice, and where it is shown (chat preview, stats, settings; the CLI's schedule list)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from bot.chat.commands import ChatCommands
from bot.core.domain import CatchUp, PlatformName, Post, PostStatus, ScheduleSpec
from bot.core.invocations import Invocation
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.learning.days_left import days_left, last_posted, short_categories
from bot.learning.selection import Candidate
from bot.testing.platform import FrozenClock
from tests.helpers import daily, drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MONDAY_9 = MONDAY_8 + timedelta(hours=1)
DAILY = ScheduleSpec(times=(time(9, 0),))


def _pool(count: int, category: str = "food") -> list[Candidate]:
    return [Candidate(i, category) for i in range(1, count + 1)]


def test_a_fresh_library_lasts_one_slot_per_prompt_when_the_window_is_longer() -> None:
    left = days_left(DAILY, 60, _pool(10), {}, MONDAY_9)
    assert (left.days, left.slots, left.runs_out_at) == (10, 10, MONDAY_9 + timedelta(days=10))
    assert left.low and left.label() == "10 days"


def test_prompts_come_back_as_the_window_passes() -> None:
    # 10 prompts, a 7-day window, daily: each prompt is free again 8 days after its post.
    left = days_left(DAILY, 7, _pool(10), {}, MONDAY_9)
    assert left.days is None and left.label() == "365+ days" and not left.low


def test_recent_posts_block_until_the_window_has_passed() -> None:
    # Both prompts were posted in the last two days; the window is 3 days: the first slot
    # (day 0) finds prompt 1 posted 2 days ago, inside the window, so nothing is eligible.
    last = {1: MONDAY_9 - timedelta(days=2), 2: MONDAY_9 - timedelta(days=1)}
    assert days_left(DAILY, 3, _pool(2), last, MONDAY_9).days == 0
    # With a 1-day window prompt 1 is free at once, prompt 2 a day later: it never runs out.
    assert days_left(DAILY, 1, _pool(2), last, MONDAY_9).days is None


def test_weekday_schedules_count_calendar_days() -> None:
    weekdays = ScheduleSpec(times=(time(9, 0),), days=frozenset(range(5)))
    left = days_left(weekdays, 60, _pool(5), {}, MONDAY_9)
    assert left.slots == 5 and left.days == 7  # Mon..Fri filled, next Monday runs out


def test_an_empty_filter_has_no_day_left_and_names_the_short_categories() -> None:
    pool = [Candidate(1, "food"), Candidate(2, "food"), Candidate(3, "travel")]
    assert days_left(DAILY, 60, [], {}, MONDAY_9, ("food",)).days == 0
    assert short_categories(pool, ()) == (("travel", 1), ("food", 2))
    assert short_categories(pool, ("food", "work")) == (("work", 0), ("food", 2))


def test_last_posted_counts_only_posts_that_block_a_repeat() -> None:
    def post(pid: int, day: int, status: PostStatus) -> Post:
        return Post(day, 1, pid, MONDAY_9 + timedelta(days=day), status, f"m{day}")

    posts = [
        post(1, 0, PostStatus.SENT),
        post(1, 2, PostStatus.SENT),
        post(2, 3, PostStatus.SKIPPED),
        post(3, 4, PostStatus.CLAIMED),
    ]
    assert last_posted(posts) == {1: MONDAY_9 + timedelta(days=2), 3: MONDAY_9 + timedelta(4)}


async def test_service_days_left_reads_the_channels_history(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _ = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    assert (await service.days_left(schedule.id)).days == 20
    for _ in range(3):
        clock.advance(timedelta(days=1))
        await service.post_due()
    # three posted, 17 fresh ones left from the next slot (Thursday 09:00) on
    assert (await service.days_left(schedule.id)).days == 17


async def test_managers_are_told_once_below_14_days_and_again_after_recovery(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(16, "food"))
    schedule = await daily(service)
    for _ in range(6):
        clock.advance(timedelta(days=1))
        await service.post_due()
    # 16 prompts: 16, 15, 14 days at the first three slots, 13 at the fourth: one notice.
    assert len(platform.notices) == 1
    text = platform.notices[0][1]
    assert "About 13 days of prompts are left for #C1" in text and "food (16)" in text
    # A shorter window brings prompts back: recovered, no notice; then low again: told again.
    await service.update_schedule(
        replace(await service.get_schedule(schedule.id), repeat_window_days=3)
    )
    clock.advance(timedelta(days=1))
    await service.post_due()
    assert len(platform.notices) == 1
    await service.update_schedule(
        replace(await service.get_schedule(schedule.id), repeat_window_days=60)
    )
    clock.advance(timedelta(days=1))
    await service.post_due()
    assert len(platform.notices) == 2


def _inv(admin: bool = True, community: str = "T1") -> Invocation:
    return Invocation(PlatformName.SLACK, community, "C1", "U1", admin)


async def test_preview_stats_and_settings_show_the_library_health(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _ = make_service(store, clock)
    await service.sync_library(drafts(8, "food"))
    commands = ChatCommands(service, "UTC")
    await commands.run(_inv(), "here 09:00")
    preview = await commands.run(_inv(), "preview 2")
    assert preview.text.endswith(
        "Library: 8 days left before repeats (shortest categories: food (8))."
    )
    settings = await commands.run(_inv(), "settings")
    assert (
        "recycle when-empty · recycle-after 180 days · anonymous-suggestions off · days left 8 days"
        in settings.text
    )
    stats = await commands.run(_inv(), "stats")
    assert "8 days left before repeats (shortest categories: food (8))" in stats.text


async def test_schedule_list_names_days_left_per_schedule(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _ = make_service(store, clock)
    await service.sync_library(drafts(30))
    first = await daily(service, "C1")
    other, _ = await service.add_schedule(
        PlatformName.SLACK, "T1", NewSchedule(0, "C2", DAILY, repeat_window_days=10)
    )
    lasting = await service.days_left_of(await service.list_schedules())
    assert lasting[first.id].label() == "30 days"
    assert lasting[other.id].label() == "365+ days"


async def test_the_deliverer_runs_out_exactly_where_days_left_said(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _ = make_service(store, clock)
    await service.sync_library(drafts(5))
    schedule = await daily(service, catch_up=CatchUp.SKIP)
    predicted = await service.days_left(schedule.id)
    assert predicted.days == 5 and predicted.runs_out_at == MONDAY_9 + timedelta(days=5)
    clock.advance(timedelta(hours=1))
    for day in range(7):
        if day:
            clock.advance(timedelta(days=1))
        await service.post_due()
    posts = sorted(await service.posts_of(schedule.id), key=lambda p: p.slot_at)
    # each slot before the predicted one had a fresh prompt: one fewer eligible each day;
    # the predicted slot found none and fell back to the whole library (all 5 again)
    assert [p.pick_eligible for p in posts] == [5, 4, 3, 2, 1, 5, 5]
    assert posts[5].slot_at == predicted.runs_out_at
