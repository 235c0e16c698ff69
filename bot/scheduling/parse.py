"""Parsing what people type into schedule settings: times, weekdays, zones, quiet dates, cron.

Every parser raises `ScheduleError` naming the ScheduleSpec field at fault (`times`, `days`,
`timezone`, `quiet_dates`, `cron`, `every_days`) and saying which values are allowed, so the
CLI and the chat commands can show the message as it is.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.domain import ScheduleSpec


class ScheduleError(ValueError):
    """A schedule setting that cannot be used; `field` names it, `message` says what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- times -------------------------------------------------------------------------------

_TIME_HINT = "use HH:MM in 24-hour time (09:00, 17:30) or 9am / 5:30pm, separated by commas"
_TIME_RE = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def _parse_one_time(text: str) -> time:
    match = _TIME_RE.match(text.strip().lower())
    if match is None:
        raise ScheduleError("times", f"{text.strip()!r} is not a time; {_TIME_HINT}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = match.group(3)
    if meridiem is None and match.group(2) is None:
        raise ScheduleError("times", f"{text.strip()!r} has no minutes; {_TIME_HINT}")
    if meridiem is not None:
        if not 1 <= hour <= 12 or minute > 59:
            raise ScheduleError("times", f"{text.strip()!r} is not a 12-hour time; {_TIME_HINT}")
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError("times", f"{text.strip()!r} is out of range 00:00-23:59; {_TIME_HINT}")
    return time(hour, minute)


def parse_times(text: str) -> tuple[time, ...]:
    """'09:00,5:30pm' -> (time(9, 0), time(17, 30)): sorted, without duplicates."""
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise ScheduleError("times", f"no time given; {_TIME_HINT}")
    return tuple(sorted({_parse_one_time(part) for part in parts}))


# --- weekdays ----------------------------------------------------------------------------

_DAY_HINT = (
    "use mon..sun, ranges like mon-fri, or lists like mon,wed,fri (or weekdays, weekends, daily)"
)
_DAY_NAMES = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_DAY_WORDS = {
    "weekdays": frozenset(range(5)),
    "weekday": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
    "daily": frozenset(range(7)),
    "every day": frozenset(range(7)),
    "everyday": frozenset(range(7)),
    "all": frozenset(range(7)),
}


def _weekday(name: str) -> int:
    try:
        return _DAY_NAMES[name.strip()]
    except KeyError:
        raise ScheduleError("days", f"{name.strip()!r} is not a weekday; {_DAY_HINT}") from None


def parse_days(text: str) -> frozenset[int]:
    """'mon-fri' / 'mon,wed,fri' / 'weekdays' / 'daily' -> weekday numbers, 0 = Monday.

    A range may wrap past Sunday: 'fri-mon' is Friday, Saturday, Sunday and Monday.
    """
    cleaned = " ".join(text.lower().split())
    if cleaned in _DAY_WORDS:
        return _DAY_WORDS[cleaned]
    days: set[int] = set()
    for part in cleaned.split(","):
        if not part.strip():
            continue
        if "-" in part:
            first_name, _, last_name = part.partition("-")
            first, last = _weekday(first_name), _weekday(last_name)
            days.update((first + offset) % 7 for offset in range((last - first) % 7 + 1))
        else:
            days.add(_weekday(part))
    if not days:
        raise ScheduleError("days", f"no day given; {_DAY_HINT}")
    return frozenset(days)


# --- time zones --------------------------------------------------------------------------

_ZONE_HINT = "use an IANA time zone name such as Europe/Paris, America/New_York or UTC"


@functools.cache
def _zone_names() -> dict[str, str]:
    """Lower-cased IANA names -> their proper spelling."""
    return {name.lower(): name for name in available_timezones()}


def is_timezone(text: str) -> bool:
    """Whether `text` names a time zone `parse_timezone` accepts: 'Europe/Paris', 'utc',
    and the legacy abbreviations the zone database keeps (CET, EST, MST...)."""
    return text.strip().replace(" ", "_").lower() in _zone_names()


def parse_timezone(text: str) -> str:
    """'europe/paris' -> 'Europe/Paris'; unknown names get close matches suggested."""
    wanted = text.strip().replace(" ", "_")
    names = _zone_names()
    if wanted.lower() in names:
        return names[wanted.lower()]
    if not names:  # no zone list on this system: let zoneinfo decide
        try:
            ZoneInfo(wanted)
            return wanted
        except (ZoneInfoNotFoundError, ValueError):
            pass
    cities = {key.rsplit("/", 1)[-1]: key for key in names if "/" in key}
    close = difflib.get_close_matches(wanted.lower(), list(names), n=3, cutoff=0.6)
    close += [
        cities[c] for c in difflib.get_close_matches(wanted.lower(), list(cities), n=3, cutoff=0.75)
    ]
    suggestions = list(dict.fromkeys(names[key] for key in close))[:3]
    maybe = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
    raise ScheduleError(
        "timezone", f"{text.strip()!r} is not an IANA time zone{maybe} ({_ZONE_HINT})"
    )


# --- quiet dates -------------------------------------------------------------------------

_QUIET_HINT = "use ISO dates YYYY-MM-DD separated by commas, or ranges like 2026-12-24..2026-12-26"
_MAX_QUIET_RANGE_DAYS = 366


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ScheduleError(
            "quiet_dates", f"{text.strip()!r} is not a date; {_QUIET_HINT}"
        ) from None


def parse_quiet_dates(text: str) -> frozenset[date]:
    """'2026-12-25,2026-12-31' (or '2026-12-24..2026-12-26') -> those local dates.

    An empty text or 'none' gives no quiet dates.
    """
    if text.strip().lower() in ("", "none"):
        return frozenset()
    dates: set[date] = set()
    for part in (p for p in text.split(",") if p.strip()):
        if ".." not in part:
            dates.add(_iso_date(part))
            continue
        first_text, _, last_text = part.partition("..")
        first, last = _iso_date(first_text), _iso_date(last_text)
        span = (last - first).days
        if not 0 <= span < _MAX_QUIET_RANGE_DAYS:
            raise ScheduleError(
                "quiet_dates",
                f"range {part.strip()!r} must run forward and span at most "
                f"{_MAX_QUIET_RANGE_DAYS} days; {_QUIET_HINT}",
            )
        dates.update(first + timedelta(days=offset) for offset in range(span + 1))
    return frozenset(dates)


# --- cron --------------------------------------------------------------------------------

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


# --- the whole spec ----------------------------------------------------------------------


def build_spec(
    at: str | None,
    tz: str,
    days: str | None = None,
    every_days: int | None = None,
    cron: str | None = None,
    quiet: str | None = None,
    anchor: date | None = None,
) -> ScheduleSpec:
    """Combine the schedule settings a manager typed into one ScheduleSpec.

    `at` defaults to 09:00. A cron expression sets days and times itself, so it cannot be
    combined with `at`, `days` or `every_days`; `every_days` cannot be combined with `days`.
    `every_days` counts from `anchor`, which defaults to today's date in the zone `tz`;
    without `every_days` the anchor is not kept.
    """
    timezone = parse_timezone(tz)
    quiet_dates = parse_quiet_dates(quiet) if quiet is not None else frozenset()
    if cron is not None:
        if at is not None or days is not None or every_days is not None:
            raise ScheduleError(
                "cron",
                "a cron expression sets the days and times itself; give either cron, "
                "or at (times) with days or every_days, not both",
            )
        return ScheduleSpec(timezone=timezone, cron=parse_cron(cron), quiet_dates=quiet_dates)
    times = parse_times(at) if at is not None else ScheduleSpec().times
    if every_days is None:
        weekdays = parse_days(days) if days is not None else frozenset(range(7))
        return ScheduleSpec(times=times, timezone=timezone, days=weekdays, quiet_dates=quiet_dates)
    if every_days < 1:
        raise ScheduleError(
            "every_days", f"{every_days} is not allowed; use a whole number of days >= 1"
        )
    if days is not None:
        raise ScheduleError(
            "days",
            "every_days already says which days fire; give either days (e.g. mon-fri) "
            "or every_days (e.g. 2 for every other day), not both",
        )
    start = anchor if anchor is not None else datetime.now(ZoneInfo(timezone)).date()
    return ScheduleSpec(
        times=times, timezone=timezone, every_days=every_days, anchor=start, quiet_dates=quiet_dates
    )
