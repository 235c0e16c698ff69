"""Public-holiday calendars a schedule follows: `US`, `DE-BY`, `GB-SCT` (ISO 3166 country and
optional subdivision codes, as the `holidays` package knows them).

A holiday is a local date: a slot is on a holiday when its instant, read in the schedule's own
time zone, falls on one. Each calendar's holidays are computed once per year and cached.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

import holidays

from bot.core.domain import ScheduleSpec
from bot.scheduling.errors import ScheduleError

CODES_HINT = (
    "use ISO 3166 codes: a country (US, DE, GB), optionally with a subdivision (DE-BY, GB-SCT), "
    "separated by commas; `tigerbird schedule holiday-codes [COUNTRY]` lists them all"
)
ON_HOLIDAY_HINT = "use skip, or category:NAME to post from a lighter category that day"


@functools.cache
def supported() -> Mapping[str, tuple[str, ...]]:
    """Every country code the holidays package knows -> its subdivision codes."""
    found = holidays.list_supported_countries(include_aliases=False)
    return {country: tuple(subdivisions) for country, subdivisions in found.items()}


def _check(code: str) -> str:
    country, _, subdivision = code.partition("-")
    known = supported()
    if country not in known:
        close = difflib.get_close_matches(country, list(known), n=3, cutoff=0.5)
        maybe = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise ScheduleError(
            "holidays", f"'{code}' is not a country with a holiday calendar{maybe}; {CODES_HINT}"
        )
    if subdivision and subdivision not in known[country]:
        allowed = ", ".join(known[country]) or "none"
        raise ScheduleError(
            "holidays",
            f"'{code}': {country} has no subdivision '{subdivision}'; its subdivisions are "
            f"{allowed} (or give {country} alone)",
        )
    return code


def parse_holidays(text: str) -> tuple[str, ...]:
    """'us, de-by' -> ('US', 'DE-BY'); 'none' or '' -> no calendar. Unknown codes are refused."""
    if text.strip().lower() in ("", "none", "off"):
        return ()
    codes = [part.strip().upper().replace("_", "-") for part in text.split(",") if part.strip()]
    return tuple(dict.fromkeys(_check(code) for code in codes))


def parse_on_holiday(text: str) -> str | None:
    """'skip' -> None (skip the slot); 'category:small-joys' -> 'small-joys'."""
    value = text.strip().lower()
    if value == "skip":
        return None
    kind, _, category = value.partition(":")
    if kind != "category" or not category.strip():
        raise ScheduleError("on_holiday", f"'{text.strip()}' is not allowed; {ON_HOLIDAY_HINT}")
    return category.strip()


def on_holiday_text(spec: ScheduleSpec) -> str:
    """The on-holiday choice as typed: 'skip' or 'category:NAME'."""
    return "skip" if spec.holiday_category is None else f"category:{spec.holiday_category}"


@functools.lru_cache(maxsize=1024)
def _year(code: str, year: int) -> Mapping[date, str]:
    """One calendar's holidays in one year: local date -> name (English where available)."""
    country, _, subdivision = code.partition("-")
    calendar = holidays.country_holidays(
        country, subdiv=subdivision or None, years=year, language="en_US"
    )
    return dict(calendar.items())


def holiday_on(calendars: tuple[str, ...], day: date) -> str | None:
    """The holiday on a local date, named with its calendars ('Christmas Day (US, CA)')."""
    by_name: dict[str, list[str]] = {}
    for code in calendars:
        name = _year(code, day.year).get(day)
        if name:
            by_name.setdefault(name, []).append(code)
    if not by_name:
        return None
    return "; ".join(f"{name} ({', '.join(codes)})" for name, codes in by_name.items())


def slot_holiday(spec: ScheduleSpec, slot: datetime) -> str | None:
    """The holiday a slot (an aware instant) falls on in the schedule's zone, if any."""
    if not spec.holidays:
        return None
    return holiday_on(spec.holidays, slot.astimezone(ZoneInfo(spec.timezone)).date())


def skips_on_holiday(spec: ScheduleSpec, slot: datetime) -> bool:
    """Whether the slot is on a holiday the schedule skips (no holiday category)."""
    return spec.holiday_category is None and slot_holiday(spec, slot) is not None


def holiday_categories(spec: ScheduleSpec, slot: datetime) -> tuple[str, ...] | None:
    """The lighter category the slot posts from, when it is on a holiday and one is set."""
    if spec.holiday_category is None or slot_holiday(spec, slot) is None:
        return None
    return (spec.holiday_category,)
