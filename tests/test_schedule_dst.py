"""Slots across both DST transitions, written out by hand for a few telling zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.core.domain import ScheduleSpec
from bot.scheduling.slot_times import local_time, next_slot, slots_between, upcoming


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def daily(zone: str, *times: time) -> ScheduleSpec:
    return ScheduleSpec(times=times, timezone=zone)


@pytest.mark.parametrize(
    ("zone", "at", "after", "expected_utc", "expected_local"),
    [
        # New York springs forward 2026-03-08 02:00 -> 03:00.
        (
            "America/New_York",
            time(2, 30),
            utc(2026, 3, 7),
            [utc(2026, 3, 7, 7, 30), utc(2026, 3, 8, 7, 0), utc(2026, 3, 9, 6, 30)],
            ["02:30-05:00", "03:00-04:00", "02:30-04:00"],
        ),
        # New York falls back 2026-11-01 02:00 -> 01:00: 01:30 happens twice, fires once.
        (
            "America/New_York",
            time(1, 30),
            utc(2026, 10, 31),
            [utc(2026, 10, 31, 5, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)],
            ["01:30-04:00", "01:30-04:00", "01:30-05:00"],
        ),
        # London springs forward 2026-03-29 01:00 -> 02:00.
        (
            "Europe/London",
            time(1, 30),
            utc(2026, 3, 28),
            [utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 0), utc(2026, 3, 30, 0, 30)],
            ["01:30+00:00", "02:00+01:00", "01:30+01:00"],
        ),
        # London falls back 2026-10-25 02:00 -> 01:00.
        (
            "Europe/London",
            time(1, 30),
            utc(2026, 10, 24),
            [utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)],
            ["01:30+01:00", "01:30+01:00", "01:30+00:00"],
        ),
        # Lord Howe shifts by 30 minutes: 2026-10-04 02:00 -> 02:30.
        (
            "Australia/Lord_Howe",
            time(2, 15),
            utc(2026, 10, 2),
            [utc(2026, 10, 2, 15, 45), utc(2026, 10, 3, 15, 30), utc(2026, 10, 4, 15, 15)],
            ["02:15+10:30", "02:30+11:00", "02:15+11:00"],
        ),
        # ...and back on 2026-04-05 02:00 -> 01:30: 01:45 happens twice, fires once.
        (
            "Australia/Lord_Howe",
            time(1, 45),
            utc(2026, 4, 3),
            [utc(2026, 4, 3, 14, 45), utc(2026, 4, 4, 14, 45), utc(2026, 4, 5, 15, 15)],
            ["01:45+11:00", "01:45+11:00", "01:45+10:30"],
        ),
        # Kathmandu moved from +05:30 to +05:45 at 1986-01-01 00:00 (00:00-00:15 never was).
        (
            "Asia/Kathmandu",
            time(0, 10),
            utc(1985, 12, 30),
            [utc(1985, 12, 30, 18, 40), utc(1985, 12, 31, 18, 30), utc(1986, 1, 1, 18, 25)],
            ["00:10+05:30", "00:15+05:45", "00:10+05:45"],
        ),
        (
            "Asia/Kathmandu",
            time(9, 0),
            utc(2026, 3, 1),
            [utc(2026, 3, 1, 3, 15), utc(2026, 3, 2, 3, 15), utc(2026, 3, 3, 3, 15)],
            ["09:00+05:45", "09:00+05:45", "09:00+05:45"],
        ),
    ],
)
def test_daily_slots_across_transitions(
    zone: str, at: time, after: datetime, expected_utc: list[datetime], expected_local: list[str]
) -> None:
    spec = daily(zone, at)
    slots = upcoming(spec, after, 3)
    assert slots == expected_utc
    walls = [local_time(spec, slot).isoformat(timespec="minutes")[11:] for slot in slots]
    assert walls == expected_local


def test_two_times_inside_one_gap_fire_once_at_the_gap_end() -> None:
    spec = daily("America/New_York", time(2, 0), time(2, 30), time(3, 0), time(9, 0))
    slots = upcoming(spec, utc(2026, 3, 8, 4), 3)
    assert slots == [utc(2026, 3, 8, 7), utc(2026, 3, 8, 13), utc(2026, 3, 9, 6)]


def test_slot_inside_the_fold_after_its_first_occurrence_waits_a_day() -> None:
    spec = daily("America/New_York", time(1, 30))
    # 06:00Z is 01:00 EST, inside the repeated hour, after the first 01:30 (05:30Z).
    assert next_slot(spec, utc(2026, 11, 1, 6)) == utc(2026, 11, 2, 6, 30)


def test_hourly_cron_through_the_fold_fires_each_wall_time_once() -> None:
    spec = ScheduleSpec(cron="30 * * * *", timezone="America/New_York")
    slots = upcoming(spec, utc(2026, 11, 1, 4), 4)
    walls = [local_time(spec, slot).strftime("%H:%M%z") for slot in slots]
    assert walls == ["00:30-0400", "01:30-0400", "02:30-0500", "03:30-0500"]


def test_a_date_the_wall_clock_skipped_has_no_slot() -> None:
    # Samoa jumped from 2011-12-29 to 2011-12-31 (no 30 December at all).
    spec = daily("Pacific/Apia", time(10, 0))
    local_dates = [local_time(spec, s).date() for s in upcoming(spec, utc(2011, 12, 28), 3)]
    assert local_dates == [date(2011, 12, 28), date(2011, 12, 29), date(2011, 12, 31)]


def test_after_may_be_given_in_any_zone() -> None:
    spec = daily("Europe/Paris", time(9, 0))
    after = datetime(2026, 6, 1, 15, 59, tzinfo=ZoneInfo("Asia/Tokyo"))  # 08:59 in Paris
    slot = next_slot(spec, after)
    assert slot == utc(2026, 6, 1, 7, 0)
    assert slot is not None and slot.tzinfo is UTC


def test_catch_up_window_ending_in_a_fold_that_crosses_midnight() -> None:
    # Goose Bay fell back at 00:01 local to 23:01 of the day before (2006-10-29 03:01Z), so
    # 00:00 on the 29th (03:00Z) happened before the wall clock showed the 28th again.
    spec = daily("America/Goose_Bay", time(0, 0))
    end = utc(2006, 10, 29, 3, 30)  # 23:30 on the 28th, second pass
    assert local_time(spec, end).date() == date(2006, 10, 28)
    assert slots_between(spec, utc(2006, 10, 27, 12), end, 5) == [
        utc(2006, 10, 28, 3, 0),
        utc(2006, 10, 29, 3, 0),
    ]
    assert next_slot(spec, end) == utc(2006, 10, 30, 4, 0)
