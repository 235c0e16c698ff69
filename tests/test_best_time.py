"""The best time to post: hourly activity counted per distinct member (memory, SQLite and
PostgreSQL), and the suggestion validated on synthetic activity with a known peak, across a
DST change."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.analytics.best_time_text import NOT_ENOUGH, best_time_text, digest_line, gain_text
from bot.analytics.digest import DigestRunner
from bot.chat.commands import ChatCommands
from bot.core.activity_hours import hour_of, new_in_hours
from bot.core.domain import PlatformName, ScheduleSpec
from bot.core.invocations import Invocation
from bot.core.ports import ActivityRecord, NewSchedule, UnitOfWorkFactory
from bot.scheduling.best_time import BestTime, best_time
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FrozenClock
from tests.helpers import make_service

NEW_YORK = ZoneInfo("America/New_York")
# Four weeks either side of the end of US summer time (1 November 2026).
END = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
SLOT = ScheduleSpec(times=(time(9, 0),), timezone="America/New_York")


def _synthetic(
    days: int, peak: int, seed: int = 7, quiet: float = 2.0, busy: float = 12.0
) -> list[tuple[datetime, int]]:
    """Hourly distinct-member counts: Poisson(quiet) every hour, Poisson(busy) at the local
    hour `peak`, for `days` local days before END."""
    rng = np.random.default_rng(seed)
    first = (END.astimezone(NEW_YORK) - timedelta(days=days)).date()
    counts = []
    for day in range(days):
        for hour in range(24):
            local = datetime.combine(first + timedelta(days=day), time(hour), tzinfo=NEW_YORK)
            mean = busy if hour == peak else quiet
            counts.append((local.astimezone(UTC), int(rng.poisson(mean))))
    return counts


def test_the_known_peak_is_found_across_a_dst_change() -> None:
    result = best_time(_synthetic(56, peak=19), SLOT, END, rate=0.25)
    assert result is not None
    assert result.best.hour == 19 and result.current.hour == 9
    assert result.days == 56 and result.confidence == "good" and result.credible
    assert 10 < result.best.mean < 14 and 1 < result.current.mean < 3
    assert result.gain is not None and result.gain > 2
    assert result.best.expected(result.rate) == pytest.approx(result.best.mean * 0.25)
    text = best_time_text(result, "America/New_York")
    assert "Best time to post: 19:00 America/New_York" in text
    assert "expected responders" in text and "Confidence good: 8.0 weeks" in text
    line = digest_line(result, "America/New_York")
    assert line is not None and "posting at 19:00 instead of 09:00" in line


def test_read_in_utc_the_peak_would_move_an_hour_at_the_dst_change() -> None:
    """The same counts bucketed by UTC hour split the peak over 23:00 and 00:00 UTC: reading
    them on the local clock is what keeps the suggestion on one hour."""
    by_utc_hour: dict[int, int] = {}
    for at, members in _synthetic(56, peak=19):
        by_utc_hour[at.hour] = by_utc_hour.get(at.hour, 0) + members
    busiest = sorted(by_utc_hour, key=by_utc_hour.__getitem__)[-2:]
    assert sorted(busiest) == [0, 23]
    result = best_time(_synthetic(56, peak=19), SLOT, END)
    assert result is not None and result.best.hour == 19


def test_little_data_is_low_confidence_and_under_a_week_is_none() -> None:
    assert best_time(_synthetic(6, peak=19), SLOT, END) is None
    assert best_time([], SLOT, END) is None
    assert best_time_text(None, "UTC") == NOT_ENOUGH
    short = best_time(_synthetic(10, peak=19), SLOT, END)
    assert short is not None and short.confidence == "low" and short.best.hour == 19
    assert digest_line(short, "UTC") is None  # under two weeks: no digest line


def test_no_real_peak_is_not_credible_and_no_digest_line() -> None:
    flat = best_time(_synthetic(56, peak=9, busy=2.0), SLOT, END)
    assert flat is not None and flat.confidence == "good"
    assert not flat.credible and digest_line(flat, "UTC") is None
    at_slot = best_time(_synthetic(56, peak=9), SLOT, END)
    assert at_slot is not None and at_slot.best.hour == at_slot.current.hour == 9
    assert "already the busiest hour" in best_time_text(at_slot, "America/New_York")


def test_the_window_is_eight_weeks_and_today_is_left_out() -> None:
    old_peak = _synthetic(140, peak=6, seed=1)
    recent = [(at, n) for at, n in _synthetic(56, peak=19, seed=2)]
    cutoff = recent[0][0]
    merged = [(at, n) for at, n in old_peak if at < cutoff] + recent
    result = best_time(merged, SLOT, END)
    assert result is not None and result.best.hour == 19 and result.days == 56
    today = END.astimezone(NEW_YORK).replace(hour=3, minute=0)
    spike = [*recent, (today.astimezone(UTC), 10_000)]
    assert best_time(spike, SLOT, END) == result


async def test_hourly_activity_counts_distinct_members(store: UnitOfWorkFactory) -> None:
    service, _ = make_service(store, FrozenClock(END))
    schedule, _ = await service.add_schedule(PlatformName.SLACK, "T1", NewSchedule(0, "C1", SLOT))
    cid = schedule.community_id
    nine = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)

    def seen(member: str, minutes: int, channel: str = "C1") -> ActivityRecord:
        return ActivityRecord(cid, channel, member, nine + timedelta(minutes=minutes))

    async with store() as u:
        await u.activity.seen_many([seen("a", 1), seen("a", 20), seen("b", 30), seen("c", 5, "C2")])
        await u.commit()
    async with store() as u:  # a replay, the next hour, a second sighting within an hour
        await u.activity.seen_many([seen("a", 20), seen("b", 30)])
        await u.activity.seen_many([seen("a", 61), seen("b", 59)])
        await u.commit()
    async with store() as u:
        hours = await u.activity.hourly(cid, "C1", nine - timedelta(days=1))
        later = await u.activity.hourly(cid, "C1", nine + timedelta(minutes=30))
        other = await u.activity.hourly(cid, "C2", nine - timedelta(days=1))
        audience = await u.activity.audience(cid, "C1", nine)
    assert hours == [(nine, 2), (nine + timedelta(hours=1), 1)]
    assert later == [(nine + timedelta(hours=1), 1)]
    assert other == [(nine, 1)] and audience == 2


async def test_the_service_suggests_from_recorded_activity(store: UnitOfWorkFactory) -> None:
    service, _ = make_service(store, FrozenClock(END))
    schedule, _ = await service.add_schedule(PlatformName.SLACK, "T1", NewSchedule(0, "C1", SLOT))
    assert await service.best_time(schedule.id) is None
    records = [
        ActivityRecord(schedule.community_id, "C1", f"m{i}", at + timedelta(minutes=i))
        for at, members in _synthetic(21, peak=13, seed=3)
        for i in range(members)
    ]
    async with store() as u:
        await u.activity.seen_many(records)
        await u.commit()
    result = await service.best_time(schedule.id)
    assert result is not None and result.best.hour == 13 and result.days == 21
    assert result.confidence == "moderate" and result.rate is None


async def test_the_digest_suggests_a_move_worth_20_percent(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(END - timedelta(days=1))
    service, platform = make_service(store, clock)
    commands = ChatCommands(service)
    manager = Invocation(PlatformName.SLACK, "T1", "C1", "U1", member_is_admin=True)
    await commands.run(manager, "here 09:00 America/New_York")
    assert (await commands.run(manager, "settings digest on")).text == "digest set to on."
    [schedule] = await service.list_schedules()
    records = [
        ActivityRecord(schedule.community_id, "C1", f"m{i}", at + timedelta(minutes=i))
        for at, members in _synthetic(28, peak=19, seed=5)
        for i in range(members)
    ]
    async with store() as u:
        await u.activity.seen_many(records)
        await u.commit()
    clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # Monday 10:00 in New York
    assert await DigestRunner(service).run_due(clock.now()) == 1
    [(_, text)] = platform.notices
    assert text.splitlines()[-1] == (
        "Best time: posting at 19:00 instead of 09:00 (America/New_York) would reach "
        f"{gain_text(await _best(service, schedule.id))} active members (4 weeks of data); "
        "see `/tigerbird besttime`."
    )


async def _best(service: Tigerbird, schedule_id: int) -> BestTime:
    result = await service.best_time(schedule_id)
    assert result is not None and result.worth_a_digest_line
    return result


SIGHTINGS = st.lists(
    st.tuples(st.sampled_from("abcd"), st.sampled_from(["C1", "C2"]), st.integers(0, 6 * 60)),
    max_size=40,
)


@given(SIGHTINGS)
def test_one_batch_counts_each_member_once_per_hour_and_a_replay_adds_nothing(
    sightings: list[tuple[str, str, int]],
) -> None:
    start = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    seen = [ActivityRecord(1, ch, m, start + timedelta(minutes=mins)) for m, ch, mins in sightings]
    gained = new_in_hours(seen, {})
    distinct = {(r.channel, r.member_key, hour_of(r.at)) for r in seen}
    expected: dict[tuple[int, str, datetime], int] = {}
    for channel, _, hour in distinct:
        expected[(1, channel, hour)] = expected.get((1, channel, hour), 0) + 1
    assert gained == expected
    last = {(1, r.channel, r.member_key): r.at for r in sorted(seen, key=lambda r: r.at)}
    assert new_in_hours(seen, last) == {}
