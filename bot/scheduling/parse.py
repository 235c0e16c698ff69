"""Parsing what people type into schedule settings: times, weekdays, zones, quiet dates (cron
expressions in bot.scheduling.cron).

Every parser raises `ScheduleError` naming the ScheduleSpec field at fault (`times`, `days`,
`timezone`, `quiet_dates`, `cron`, `every_days`) and saying which values are allowed, so the
CLI and the chat commands can show the message as it is.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.domain import ScheduleSpec
from bot.scheduling.cron import CronPattern, compile_cron, parse_cron
from bot.scheduling.errors import ScheduleError
from bot.scheduling.holiday_calendars import parse_holidays, parse_on_holiday

__all__ = [
    "CronPattern",
    "ScheduleError",
    "build_spec",
    "compile_cron",
    "is_timezone",
    "parse_cron",
    "parse_days",
    "parse_holidays",
    "parse_on_holiday",
    "parse_quiet_dates",
    "parse_times",
    "parse_timezone",
]


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


# --- the whole spec ----------------------------------------------------------------------


def build_spec(
    at: str | None,
    tz: str,
    days: str | None = None,
    every_days: int | None = None,
    cron: str | None = None,
    quiet: str | None = None,
    anchor: date | None = None,
    holidays: str | None = None,
    on_holiday: str | None = None,
) -> ScheduleSpec:
    """Combine the schedule settings a manager typed into one ScheduleSpec.

    `holidays` ('US,DE-BY') names public-holiday calendars; `on_holiday` is 'skip' (the
    default) or 'category:NAME'.

    `at` defaults to 09:00. A cron expression sets days and times itself, so it cannot be
    combined with `at`, `days` or `every_days`; `every_days` cannot be combined with `days`.
    `every_days` counts from `anchor`, which defaults to today's date in the zone `tz`;
    without `every_days` the anchor is not kept.
    """
    spec = _rhythm(at, tz, days, every_days, cron, quiet, anchor)
    calendars = parse_holidays(holidays) if holidays is not None else ()
    category = parse_on_holiday(on_holiday) if on_holiday is not None else None
    if category is not None and not calendars:
        raise ScheduleError(
            "on_holiday", "a holiday category needs holiday calendars; give holidays too (e.g. US)"
        )
    return replace(spec, holidays=calendars, holiday_category=category)


def _rhythm(
    at: str | None,
    tz: str,
    days: str | None,
    every_days: int | None,
    cron: str | None,
    quiet: str | None,
    anchor: date | None,
) -> ScheduleSpec:
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
