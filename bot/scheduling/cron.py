"""Cron expressions for schedules: 5 fields (minute hour day-of-month month day-of-week) with
numbers, *, ranges, lists, steps, names and the @daily-style macros, compiled to a pattern that
matches local dates; errors name the `cron` field and say what is allowed."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, time

from bot.scheduling.errors import ScheduleError

_CRON_HINT = (
    "use 5 fields 'minute hour day-of-month month day-of-week' made of numbers, *, "
    "ranges (1-5), lists (1,3,5), steps (*/15, 0-30/10) and names jan-dec / sun-sat "
    "(0 and 7 are Sunday), e.g. '0 9 * * mon-fri'"
)
_CRON_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # leap years count


@dataclass(frozen=True)
class _CronField:
    name: str
    low: int
    high: int
    names: dict[str, int]


_CRON_FIELDS = (
    _CronField("minute", 0, 59, {}),
    _CronField("hour", 0, 23, {}),
    _CronField("day-of-month", 1, 31, {}),
    _CronField("month", 1, 12, {name: number for number, name in enumerate(_MONTHS, 1)}),
    _CronField("day-of-week", 0, 7, {name: number for number, name in enumerate(_WEEKDAYS)}),
)


@dataclass(frozen=True)
class CronPattern:
    """A compiled cron expression; day-of-week counts from 0 = Sunday.

    Vixie semantics: when both day fields are restricted (neither starts with '*'),
    a date matches if either does; otherwise both must.
    """

    times: tuple[time, ...]
    days_of_month: frozenset[int]
    months: frozenset[int]
    days_of_week: frozenset[int]
    either_day_field: bool

    def matches(self, day: date) -> bool:
        """Whether the pattern fires on this (local) date."""
        if day.month not in self.months:
            return False
        by_month_day = day.day in self.days_of_month
        by_weekday = day.isoweekday() % 7 in self.days_of_week
        if self.either_day_field:
            return by_month_day or by_weekday
        return by_month_day and by_weekday


def _cron_error(expr: str, problem: str) -> ScheduleError:
    return ScheduleError("cron", f"{expr!r}: {problem}; {_CRON_HINT}")


def _cron_value(expr: str, field: _CronField, token: str) -> int:
    if token.isascii() and token.isdigit():
        value = int(token)
    elif token in field.names:
        value = field.names[token]
    else:
        raise _cron_error(expr, f"{field.name} {token!r} is not a number or a name")
    if not field.low <= value <= field.high:
        raise _cron_error(expr, f"{field.name} {value} is out of range {field.low}-{field.high}")
    return value


def _cron_values(expr: str, field: _CronField, text: str) -> set[int]:
    values: set[int] = set()
    for item in text.split(","):
        base, slash, step_text = item.partition("/")
        if slash and not (step_text.isascii() and step_text.isdigit() and int(step_text) > 0):
            raise _cron_error(expr, f"{field.name} step {step_text!r} must be a number >= 1")
        step = int(step_text) if slash else 1
        if base == "*":
            first, last = field.low, field.high
        elif "-" in base:
            first_text, _, last_text = base.partition("-")
            first = _cron_value(expr, field, first_text)
            last = _cron_value(expr, field, last_text)
            if first > last:
                raise _cron_error(expr, f"{field.name} range {base!r} runs backwards")
        else:
            first = _cron_value(expr, field, base)
            last = field.high if slash else first
        values.update(range(first, last + 1, step))
    return values


@functools.lru_cache(maxsize=512)
def compile_cron(expr: str) -> CronPattern:
    """Check a cron expression (or @daily-style macro) and compile it for matching dates."""
    fields = _CRON_MACROS.get(expr.strip().lower(), expr).lower().split()
    if len(fields) != len(_CRON_FIELDS):
        raise _cron_error(expr, f"has {len(fields)} fields, not 5")
    minutes, hours, month_days, months, weekdays = (
        _cron_values(expr, field, text) for field, text in zip(_CRON_FIELDS, fields, strict=True)
    )
    if 7 in weekdays:
        weekdays = (weekdays - {7}) | {0}
    pattern = CronPattern(
        times=tuple(time(hour, minute) for hour in sorted(hours) for minute in sorted(minutes)),
        days_of_month=frozenset(month_days),
        months=frozenset(months),
        days_of_week=frozenset(weekdays),
        either_day_field=not fields[2].startswith("*") and not fields[4].startswith("*"),
    )
    if not pattern.either_day_field and not any(
        day <= _DAYS_IN_MONTH[month - 1] for month in months for day in month_days
    ):
        raise _cron_error(expr, "never fires: no month it allows has such a day")
    return pattern


def parse_cron(text: str) -> str:
    """Validate a 5-field cron expression; returns it normalised ('0 9 * * mon-fri')."""
    compile_cron(text)
    return " ".join(_CRON_MACROS.get(text.strip().lower(), text).lower().split())
