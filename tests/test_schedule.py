"""Slot maths by example: cron, every N days, quiet dates, catch-up windows, dead specs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.domain import ScheduleSpec
from bot.scheduling.slot_times import ScheduleError, local_time, next_slot, slots_between, upcoming


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local_walls(spec: ScheduleSpec, slots: list[datetime]) -> list[str]:
    return [local_time(spec, slot).strftime("%a %Y-%m-%d %H:%M") for slot in slots]


# --- cron


@pytest.mark.parametrize(
    ("cron", "zone", "after", "expected"),
    [
        (  # weekdays: Friday 10:00 -> Monday 09:00, in Paris
            "0 9 * * 1-5",
            "Europe/Paris",
            utc(2026, 11, 27, 9),
            ["Mon 2026-11-30 09:00", "Tue 2026-12-01 09:00"],
        ),
        (
            "30 8 * * mon,wed,fri",
            "UTC",
            utc(2026, 11, 26),
            ["Fri 2026-11-27 08:30", "Mon 2026-11-30 08:30", "Wed 2026-12-02 08:30"],
        ),
        (
            "*/20 9-10 * * *",
            "Asia/Kathmandu",
            utc(2026, 11, 26),
            [f"Thu 2026-11-26 {h}:{m}" for h in ("09", "10") for m in ("00", "20", "40")]
            + ["Fri 2026-11-27 09:00"],
        ),
        ("0-30/15 12 * * *", "UTC", utc(2026, 11, 26, 13), [
            "Fri 2026-11-27 12:00", "Fri 2026-11-27 12:15", "Fri 2026-11-27 12:30"]),
        (  # month names
            "0 12 1 jan,jul *",
            "America/New_York",
            utc(2026, 11, 26),
            ["Fri 2027-01-01 12:00", "Thu 2027-07-01 12:00", "Sat 2028-01-01 12:00"],
        ),
        (  # both day fields restricted: the 13th OR any Friday
            "0 9 13 * fri",
            "UTC",
            utc(2026, 11, 26),
            ["Fri 2026-11-27 09:00", "Fri 2026-12-04 09:00", "Fri 2026-12-11 09:00",
             "Sun 2026-12-13 09:00", "Fri 2026-12-18 09:00"],
        ),
        (  # day-of-month starts with '*': both must match (Fridays on odd dates)
            "0 9 */2 * fri",
            "UTC",
            utc(2026, 11, 26),
            ["Fri 2026-11-27 09:00", "Fri 2026-12-11 09:00", "Fri 2026-12-25 09:00"],
        ),
        (  # 7 and 0 both mean Sunday
            "0 9 * * 7",
            "UTC",
            utc(2026, 11, 26),
            ["Sun 2026-11-29 09:00", "Sun 2026-12-06 09:00"],
        ),
        (  # Feb 29 only: leap years, and 2100 is not one
            "0 9 29 2 *",
            "Europe/London",
            utc(2026, 11, 26),
            ["Tue 2028-02-29 09:00", "Sun 2032-02-29 09:00"],
        ),
        (
            "0 9 29 feb *",
            "UTC",
            utc(2096, 3, 1),
            ["Fri 2104-02-29 09:00"],
        ),
    ],
)  # fmt: skip
def test_cron_slots(cron: str, zone: str, after: datetime, expected: list[str]) -> None:
    spec = ScheduleSpec(cron=cron, timezone=zone)
    assert local_walls(spec, upcoming(spec, after, len(expected))) == expected


def test_cron_ignores_times_and_days() -> None:
    spec = ScheduleSpec(times=(time(7),), days=frozenset({6}), cron="0 9 * * mon")
    assert upcoming(spec, utc(2026, 11, 26), 1) == [utc(2026, 11, 30, 9)]


def test_cron_is_validated_when_used() -> None:
    with pytest.raises(ScheduleError) as caught:
        next_slot(ScheduleSpec(cron="0 9 30 2 *"), utc(2026, 1, 1))
    assert caught.value.field == "cron"


# --- every N days


def test_every_days_counts_from_the_anchor() -> None:
    spec = ScheduleSpec(times=(time(9),), every_days=3, anchor=date(2026, 1, 1))
    assert upcoming(spec, utc(2026, 1, 2), 3) == [
        utc(2026, 1, 4, 9),
        utc(2026, 1, 7, 9),
        utc(2026, 1, 10, 9),
    ]


def test_every_days_also_fires_before_its_anchor_in_the_same_phase() -> None:
    spec = ScheduleSpec(times=(time(9),), every_days=3, anchor=date(2026, 1, 1))
    assert upcoming(spec, utc(2025, 12, 25), 3) == [
        utc(2025, 12, 26, 9),
        utc(2025, 12, 29, 9),
        utc(2026, 1, 1, 9),
    ]


def test_every_days_without_anchor_counts_from_1970() -> None:
    spec = ScheduleSpec(times=(time(9),), timezone="Asia/Tokyo", every_days=7)
    for slot in upcoming(spec, utc(2026, 5, 5), 5):
        assert (local_time(spec, slot).date() - date(1970, 1, 1)).days % 7 == 0


def test_every_days_ignores_the_weekday_set_and_keeps_all_times() -> None:
    spec = ScheduleSpec(
        times=(time(18), time(8)), days=frozenset({0}), every_days=2, anchor=date(2026, 11, 26)
    )
    assert local_walls(spec, upcoming(spec, utc(2026, 11, 26), 4)) == [
        "Thu 2026-11-26 08:00",
        "Thu 2026-11-26 18:00",
        "Sat 2026-11-28 08:00",
        "Sat 2026-11-28 18:00",
    ]


def test_every_days_far_beyond_the_calendar_never_fires() -> None:
    spec = ScheduleSpec(every_days=10**6, anchor=date(9000, 1, 1))
    assert next_slot(spec, utc(9001, 1, 1)) is None


# --- weekdays and quiet dates


def test_weekdays_at_several_times() -> None:
    spec = ScheduleSpec(times=(time(17, 30), time(9)), timezone="UTC", days=frozenset({0, 4}))
    assert local_walls(spec, upcoming(spec, utc(2026, 11, 26), 4)) == [
        "Fri 2026-11-27 09:00",
        "Fri 2026-11-27 17:30",
        "Mon 2026-11-30 09:00",
        "Mon 2026-11-30 17:30",
    ]


def test_quiet_dates_are_local_dates() -> None:
    # 09:00 in Auckland on 25 December is still 24 December in UTC.
    spec = ScheduleSpec(timezone="Pacific/Auckland", quiet_dates=frozenset({date(2026, 12, 25)}))
    walls = local_walls(spec, upcoming(spec, utc(2026, 12, 23), 2))
    assert walls == ["Thu 2026-12-24 09:00", "Sat 2026-12-26 09:00"]


def test_a_long_quiet_spell_does_not_look_like_a_dead_schedule() -> None:
    quiet = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(5000))
    spec = ScheduleSpec(cron="0 9 * * *", quiet_dates=quiet)
    assert next_slot(spec, utc(2025, 12, 31, 12)) == utc(2039, 9, 10, 9)


def test_quiet_dates_apply_to_cron_and_every_days() -> None:
    quiet = frozenset({date(2026, 11, 30)})
    cron = ScheduleSpec(cron="0 9 * * mon", quiet_dates=quiet)
    every = ScheduleSpec(every_days=7, anchor=date(2026, 11, 23), quiet_dates=quiet)
    assert next_slot(cron, utc(2026, 11, 26)) == utc(2026, 12, 7, 9)
    assert next_slot(every, utc(2026, 11, 26)) == utc(2026, 12, 7, 9)


# --- specs that never fire, bad input


@pytest.mark.parametrize(
    "spec",
    [ScheduleSpec(times=()), ScheduleSpec(days=frozenset()), ScheduleSpec(times=(), every_days=2)],
)
def test_a_spec_that_cannot_fire_has_no_slots(spec: ScheduleSpec) -> None:
    assert next_slot(spec, utc(2026, 1, 1)) is None
    assert upcoming(spec, utc(2026, 1, 1), 3) == []
    assert slots_between(spec, utc(2000, 1, 1), utc(2030, 1, 1), 3) == []


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_slot(ScheduleSpec(), datetime(2026, 1, 1))


def test_unknown_zone_in_a_stored_spec_is_a_schedule_error() -> None:
    with pytest.raises(ScheduleError) as caught:
        next_slot(ScheduleSpec(timezone="Mars/Olympus"), utc(2026, 1, 1))
    assert caught.value.field == "timezone"


def test_upcoming_with_nothing_asked() -> None:
    assert upcoming(ScheduleSpec(), utc(2026, 1, 1), 0) == []


# --- catch-up windows


def test_slots_between_keeps_the_latest_and_bounds_are_exclusive_then_inclusive() -> None:
    spec = ScheduleSpec(times=(time(9),))
    assert slots_between(spec, utc(2026, 1, 1, 9), utc(2026, 1, 5, 9), 10) == [
        utc(2026, 1, 2, 9),
        utc(2026, 1, 3, 9),
        utc(2026, 1, 4, 9),
        utc(2026, 1, 5, 9),
    ]
    assert slots_between(spec, utc(2026, 1, 1, 9), utc(2026, 1, 5, 9), 2) == [
        utc(2026, 1, 4, 9),
        utc(2026, 1, 5, 9),
    ]


def test_slots_between_empty_cases() -> None:
    spec = ScheduleSpec(times=(time(9),))
    assert slots_between(spec, utc(2026, 1, 1), utc(2026, 1, 5), 0) == []
    assert slots_between(spec, utc(2026, 1, 5), utc(2026, 1, 1), 3) == []
    assert slots_between(spec, utc(2026, 1, 1, 10), utc(2026, 1, 2, 8), 3) == []


def test_slots_between_over_millennia_only_walks_back_as_far_as_needed() -> None:
    spec = ScheduleSpec(times=(time(9),), timezone="America/New_York")
    slots = slots_between(spec, utc(1000, 1, 1), utc(6000, 1, 1), 2)
    assert local_walls(spec, slots) == ["Thu 5999-12-30 09:00", "Fri 5999-12-31 09:00"]


def test_slots_between_for_a_sparse_cron_over_decades() -> None:
    spec = ScheduleSpec(cron="0 9 29 2 *")
    assert slots_between(spec, utc(1890, 1, 1), utc(2026, 11, 26), 3) == [
        utc(2016, 2, 29, 9),
        utc(2020, 2, 29, 9),
        utc(2024, 2, 29, 9),
    ]
    assert len(slots_between(spec, utc(1890, 1, 1), utc(2026, 11, 26), 1000)) == 33


def test_slots_between_ending_inside_the_repeated_hour() -> None:
    spec = ScheduleSpec(cron="30 * * * *", timezone="America/New_York")
    # 06:40Z is 01:40 EST, the second pass through 01:xx: 01:30 fired at its first pass.
    assert slots_between(spec, utc(2026, 11, 1, 3), utc(2026, 11, 1, 6, 40), 5) == [
        utc(2026, 11, 1, 3, 30),
        utc(2026, 11, 1, 4, 30),
        utc(2026, 11, 1, 5, 30),
    ]


def test_the_ends_of_the_calendar() -> None:
    spec = ScheduleSpec(times=(time(9),), timezone="Asia/Tokyo")
    end_of_time = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert next_slot(spec, end_of_time) is None
    assert slots_between(spec, datetime(9999, 12, 28, 12, tzinfo=UTC), end_of_time, 5) == [
        datetime(9999, 12, 29, 0, 0, tzinfo=UTC),
        datetime(9999, 12, 30, 0, 0, tzinfo=UTC),
        datetime(9999, 12, 31, 0, 0, tzinfo=UTC),
    ]
    assert next_slot(spec, datetime(1, 1, 2, tzinfo=UTC)) is not None
