"""Cron evaluation checked against a plain, independent reading of the expression."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.domain import ScheduleSpec
from bot.scheduling.slot_times import ScheduleError, next_slot, parse_cron, slots_between, upcoming

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


@dataclass(frozen=True)
class Field:
    text: str
    values: frozenset[int]


@st.composite
def fields(draw: st.DrawFn, low: int, high: int, names: list[str] | None = None) -> Field:
    """One cron field as text, with the values it stands for worked out independently."""

    def number(value: int) -> str:
        if names and value - low < len(names) and draw(st.booleans()):
            return names[value - low]
        return str(value)

    items: list[str] = []
    values: set[int] = set()
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["star", "star-step", "one", "range", "range-step"]))
        first = draw(st.integers(low, high))
        last = draw(st.integers(first, high))
        step = draw(st.integers(1, 12))
        if kind == "star":
            items, values = ["*"], set(range(low, high + 1))
            break
        if kind == "star-step":
            items.append(f"*/{step}")
            values |= set(range(low, high + 1, step))
        elif kind == "one":
            items.append(number(first))
            values.add(first)
        elif kind == "range":
            items.append(f"{number(first)}-{number(last)}")
            values |= set(range(first, last + 1))
        else:
            items.append(f"{first}-{last}/{step}")
            values |= set(range(first, last + 1, step))
    return Field(",".join(items), frozenset(values))


@dataclass(frozen=True)
class Expected:
    text: str
    minute: Field
    hour: Field
    day: Field
    month: Field
    weekday: Field

    def fires_on(self, day: date) -> bool:
        weekdays = {0 if value == 7 else value for value in self.weekday.values}
        by_day, by_weekday = day.day in self.day.values, day.isoweekday() % 7 in weekdays
        if self.day.text.startswith("*") or self.weekday.text.startswith("*"):
            day_ok = by_day and by_weekday
        else:
            day_ok = by_day or by_weekday
        return day.month in self.month.values and day_ok

    def next_after(self, after: datetime, horizon_days: int) -> datetime | None:
        day = after.date()
        for _ in range(horizon_days):
            if self.fires_on(day):
                for hour in sorted(self.hour.values):
                    for minute in sorted(self.minute.values):
                        moment = datetime.combine(day, time(hour, minute), UTC)
                        if moment > after:
                            return moment
            day += timedelta(days=1)
        return None


@st.composite
def expressions(draw: st.DrawFn) -> Expected:
    parts = (
        draw(fields(0, 59)),
        draw(fields(0, 23)),
        draw(fields(1, 31)),
        draw(fields(1, 12, MONTHS)),
        draw(fields(0, 7, WEEKDAYS)),
    )
    return Expected(" ".join(part.text for part in parts), *parts)


instants = st.datetimes(datetime(1990, 1, 1), datetime(2060, 1, 1), timezones=st.just(UTC))


@settings(max_examples=150, deadline=None)
@given(expected=expressions(), after=instants)
def test_cron_slots_match_a_plain_reading(expected: Expected, after: datetime) -> None:
    horizon = 9 * 366
    try:
        spec = ScheduleSpec(cron=parse_cron(expected.text))
    except ScheduleError as error:
        assert "never fires" in error.message
        assert expected.next_after(datetime(2000, 1, 1, tzinfo=UTC), horizon) is None
        return
    slots = upcoming(spec, after, 3)
    assert slots, "a cron that can fire must fire within 9 years"
    cursor = after
    for slot in slots:
        assert slot == expected.next_after(cursor, horizon)
        cursor = slot
    assert slots_between(spec, after, slots[-1], 3) == slots


def test_a_plain_reading_agrees_on_a_known_case() -> None:
    # guards the oracle above: the 13th or a Friday, at 09:00
    expected = Expected(
        "0 9 13 * fri",
        Field("0", frozenset({0})),
        Field("9", frozenset({9})),
        Field("13", frozenset({13})),
        Field("*", frozenset(range(1, 13))),
        Field("fri", frozenset({5})),
    )
    after = datetime(2026, 12, 11, 10, tzinfo=UTC)
    assert expected.next_after(after, 10) == datetime(2026, 12, 13, 9, tzinfo=UTC)
    spec = ScheduleSpec(cron=expected.text)
    assert next_slot(spec, after) == datetime(2026, 12, 13, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cron", "same_as"),
    [("0 9 * * 0", "0 9 * * 7"), ("0 9 * * sun", "0 9 * * 7"), ("0 9 * 1-3 *", "0 9 * jan-mar *")],
)
def test_equivalent_spellings_give_the_same_slots(cron: str, same_as: str) -> None:
    after = datetime(2026, 11, 26, tzinfo=UTC)
    first, second = ScheduleSpec(cron=cron), ScheduleSpec(cron=same_as)
    assert upcoming(first, after, 10) == upcoming(second, after, 10)
