"""A schedule as a manager fills it in (the dashboard's form): text fields in, a checked
ScheduleSpec and options out, every error naming its field and the allowed values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.core.domain import CatchUp, ScheduleSpec
from bot.library import CATEGORIES
from bot.scheduling.holiday_calendars import on_holiday_text
from bot.scheduling.parse import ScheduleError, build_spec

RHYTHMS = ("days", "every", "cron")
EVERY_DAYS = (1, 365)
REPEAT_WINDOW = (0, 3650)
CATCH_UP_LIMIT = 3
_CHANNEL = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ScheduleForm:
    """What the form sends, as typed. `rhythm` picks which of days / every_days / cron apply."""

    times: str = "09:00"
    timezone: str = "UTC"
    rhythm: str = "days"
    days: str = "mon-sun"
    every_days: str = ""
    cron: str = ""
    catch_up: str = CatchUp.LATEST.value
    repeat_window: str = "60"
    quiet_dates: str = ""
    holidays: str = ""
    on_holiday: str = "skip"


@dataclass(frozen=True)
class ScheduleOptions:
    spec: ScheduleSpec
    catch_up: CatchUp
    repeat_window_days: int


def check_channel(channel: str) -> str:
    """A channel id as the platform writes it (C0123ABCD, 1234567890, console)."""
    value = channel.strip().removeprefix("#")
    if not _CHANNEL.fullmatch(value):
        raise ScheduleError(
            "channel", f"'{channel}' is not a channel id; use letters, digits, '-', '_' or '.'"
        )
    return value


def check_holiday_category(spec: ScheduleSpec) -> ScheduleSpec:
    """The spec, if its holiday category is one a prompt can have."""
    category = spec.holiday_category
    if category is not None and category not in CATEGORIES:
        raise ScheduleError(
            "on_holiday",
            f"'category:{category}' is not a category; use skip or category: with one of "
            + ", ".join(sorted(CATEGORIES)),
        )
    return spec


def _number(field: str, text: str, low: int, high: int) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise ScheduleError(field, f"'{text}' must be a whole number {low}..{high}")
    return int(value)


def parse_form(form: ScheduleForm, anchor: date | None = None) -> ScheduleOptions:
    """Check every field; the first bad one raises ScheduleError(field, what is allowed)."""
    if form.rhythm not in RHYTHMS:
        raise ScheduleError("rhythm", f"'{form.rhythm}' is not one of {', '.join(RHYTHMS)}")
    if form.catch_up not in {c.value for c in CatchUp}:
        allowed = ", ".join(c.value for c in CatchUp)
        raise ScheduleError("catch_up", f"'{form.catch_up}' is not one of {allowed}")
    window = _number("repeat_window", form.repeat_window, *REPEAT_WINDOW)
    quiet = form.quiet_dates.strip() or None
    holidays, on_holiday = form.holidays, form.on_holiday.strip() or "skip"
    if form.rhythm == "cron":
        if not form.cron.strip():
            raise ScheduleError("cron", "give a 5-field cron expression, e.g. 0 9 * * mon-fri")
        spec = build_spec(
            at=None, tz=form.timezone, cron=form.cron, quiet=quiet, holidays=holidays,
            on_holiday=on_holiday,
        )  # fmt: skip
    elif form.rhythm == "every":
        every = _number("every_days", form.every_days, *EVERY_DAYS)
        spec = build_spec(
            at=form.times, tz=form.timezone, every_days=every, quiet=quiet, anchor=anchor,
            holidays=holidays, on_holiday=on_holiday,
        )  # fmt: skip
    else:
        spec = build_spec(
            at=form.times, tz=form.timezone, days=form.days or None, quiet=quiet,
            holidays=holidays, on_holiday=on_holiday,
        )  # fmt: skip
    return ScheduleOptions(check_holiday_category(spec), CatchUp(form.catch_up), window)


def form_of(spec: ScheduleSpec, catch_up: CatchUp, repeat_window_days: int) -> ScheduleForm:
    """The form filled in with a stored schedule (to edit it)."""
    rhythm = "cron" if spec.cron else "every" if spec.every_days else "days"
    return ScheduleForm(
        times=",".join(t.strftime("%H:%M") for t in spec.times),
        timezone=spec.timezone,
        rhythm=rhythm,
        days=",".join(_WEEKDAY_NAMES[d].lower() for d in sorted(spec.days)),
        every_days=str(spec.every_days or ""),
        cron=spec.cron or "",
        catch_up=catch_up.value,
        repeat_window=str(repeat_window_days),
        quiet_dates=",".join(d.isoformat() for d in sorted(spec.quiet_dates)),
        holidays=",".join(spec.holidays),
        on_holiday=on_holiday_text(spec),
    )


def rhythm_text(spec: ScheduleSpec) -> str:
    """'09:00,17:30 Mon,Fri (Europe/Paris)', 'every 2 days at 09:00 (UTC)', 'cron 0 9 * * *'."""
    times = ",".join(t.strftime("%H:%M") for t in spec.times)
    if spec.cron:
        rhythm = f"cron {spec.cron}"
    elif spec.every_days:
        rhythm = f"every {spec.every_days} days at {times}"
    else:
        days = (
            "daily"
            if len(spec.days) == 7
            else ",".join(_WEEKDAY_NAMES[d] for d in sorted(spec.days))
        )
        rhythm = f"{times} {days}"
    quiet = f", quiet {len(spec.quiet_dates)} date(s)" if spec.quiet_dates else ""
    holidays = f", holidays {','.join(spec.holidays)} ({on_holiday_text(spec)})"
    return f"{rhythm} ({spec.timezone}){quiet}{holidays if spec.holidays else ''}"
