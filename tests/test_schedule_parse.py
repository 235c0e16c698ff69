"""The schedule parsers: what they accept, and errors that name the field and the way out."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.core.domain import ScheduleSpec
from bot.scheduling.slot_times import (
    ScheduleError,
    build_spec,
    parse_cron,
    parse_days,
    parse_quiet_dates,
    parse_times,
    parse_timezone,
)


def error_of(call: object, *args: object, **kwargs: object) -> ScheduleError:
    assert callable(call)
    with pytest.raises(ScheduleError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_schedule_error_carries_field_and_message() -> None:
    error = ScheduleError("days", "nope")
    assert (error.field, error.message, str(error)) == ("days", "nope", "days: nope")
    assert isinstance(error, ValueError)


# --- times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", (time(9, 0),)),
        ("17:30,09:00", (time(9, 0), time(17, 30))),
        ("9:00, 09:00 ,9am", (time(9, 0),)),
        ("9am,5:30pm", (time(9, 0), time(17, 30))),
        ("12am, 12pm, 12:15 PM", (time(0, 0), time(12, 0), time(12, 15))),
        ("00:00,23:59", (time(0, 0), time(23, 59))),
    ],
)
def test_parse_times_accepts_24h_and_am_pm(text: str, expected: tuple[time, ...]) -> None:
    assert parse_times(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9:60", "13pm", "0am", "9", "noonish", "", " , "])
def test_parse_times_rejects_with_the_allowed_forms(text: str) -> None:
    error = error_of(parse_times, text)
    assert error.field == "times"
    assert "HH:MM" in error.message and "9am" in error.message


def test_parse_times_names_the_bad_part() -> None:
    assert "'25:00'" in error_of(parse_times, "09:00,25:00").message


# --- days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("mon,wed,fri", {0, 2, 4}),
        ("Weekdays", {0, 1, 2, 3, 4}),
        ("weekends", {5, 6}),
        ("daily", set(range(7))),
        ("every  day", set(range(7))),
        ("sunday", {6}),
        ("tue-thu, sat", {1, 2, 3, 5}),
        ("fri-mon", {4, 5, 6, 0}),
    ],
)
def test_parse_days(text: str, expected: set[int]) -> None:
    assert parse_days(text) == frozenset(expected)


def test_parse_days_error_names_the_bad_day_and_the_allowed_forms() -> None:
    error = error_of(parse_days, "mon-fry")
    assert error.field == "days"
    assert str(error).startswith("days: 'fry' is not a weekday; use mon..sun")
    assert "mon-fri" in error.message and "mon,wed,fri" in error.message


@pytest.mark.parametrize("text", ["", ",", "funday", "1-5"])
def test_parse_days_rejects(text: str) -> None:
    assert error_of(parse_days, text).field == "days"


# --- time zones


def test_parse_timezone_accepts_and_normalises_iana_names() -> None:
    assert parse_timezone("Europe/Paris") == "Europe/Paris"
    assert parse_timezone(" america/new york ") == "America/New_York"
    assert parse_timezone("UTC") == "UTC"


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("Europe/Pari", "Europe/Paris"),
        ("paris", "Europe/Paris"),
        ("Amerca/Chicago", "America/Chicago"),
    ],
)
def test_parse_timezone_suggests_close_names(text: str, suggestion: str) -> None:
    error = error_of(parse_timezone, text)
    assert error.field == "timezone"
    assert f"did you mean {suggestion}" in error.message
    assert "IANA" in error.message


def test_parse_timezone_without_close_match_still_says_what_is_allowed() -> None:
    error = error_of(parse_timezone, "../../etc/passwd")
    assert error.field == "timezone"
    assert "did you mean" not in error.message
    assert "Europe/Paris" in error.message


# --- quiet dates


def test_parse_quiet_dates() -> None:
    assert parse_quiet_dates("2026-12-25, 2026-12-31") == {date(2026, 12, 25), date(2026, 12, 31)}
    assert parse_quiet_dates("2026-12-30..2027-01-01") == {
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
    }
    assert parse_quiet_dates("") == frozenset()
    assert parse_quiet_dates("none") == frozenset()


@pytest.mark.parametrize(
    "text", ["2026-13-01", "25/12/2026", "2026-12-31..2026-12-01", "2026-01-01..2028-01-01"]
)
def test_parse_quiet_dates_rejects(text: str) -> None:
    error = error_of(parse_quiet_dates, text)
    assert error.field == "quiet_dates"
    assert "YYYY-MM-DD" in error.message


# --- cron


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("0 9 * * 1-5", "0 9 * * 1-5"),
        ("  0  9 * *  MON-FRI ", "0 9 * * mon-fri"),
        ("*/15 8-18/2 1,15 jan-jun,dec sun,7", "*/15 8-18/2 1,15 jan-jun,dec sun,7"),
        ("5/20 * * * *", "5/20 * * * *"),
        ("0 9 29 2 *", "0 9 29 2 *"),
        ("@daily", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"),
    ],
)
def test_parse_cron_accepts(text: str, normalised: str) -> None:
    assert parse_cron(text) == normalised


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0 9 * *", "has 4 fields, not 5"),
        ("60 9 * * *", "minute 60 is out of range 0-59"),
        ("0 24 * * *", "hour 24 is out of range 0-23"),
        ("0 9 0 * *", "day-of-month 0 is out of range 1-31"),
        ("0 9 * 13 *", "month 13 is out of range 1-12"),
        ("0 9 * * 8", "day-of-week 8 is out of range 0-7"),
        ("0 9 * * fri-mon", "day-of-week range 'fri-mon' runs backwards"),
        ("*/0 9 * * *", "minute step '0' must be a number >= 1"),
        ("0 9 * * funday", "day-of-week 'funday' is not a number or a name"),
        ("0 9 * mon *", "month 'mon' is not a number or a name"),
        ("0 9 ? * *", "day-of-month '?' is not a number or a name"),
        ("0 9 30 2 *", "never fires"),
        ("0 9 31 4,6,9,11 *", "never fires"),
        ("@reboot", "has 1 fields, not 5"),
    ],
)
def test_parse_cron_errors_name_the_problem_and_the_allowed_syntax(text: str, problem: str) -> None:
    error = error_of(parse_cron, text)
    assert error.field == "cron"
    assert problem in error.message
    assert "jan-dec / sun-sat" in error.message and "*/15" in error.message


# --- build_spec


def test_build_spec_weekly() -> None:
    spec = build_spec("9am,17:30", "europe/paris", days="mon-fri", quiet="2026-12-25")
    assert spec == ScheduleSpec(
        times=(time(9), time(17, 30)),
        timezone="Europe/Paris",
        days=frozenset(range(5)),
        quiet_dates=frozenset({date(2026, 12, 25)}),
    )


def test_build_spec_defaults_to_nine_every_day() -> None:
    assert build_spec(None, "UTC") == ScheduleSpec()


def test_build_spec_cron() -> None:
    spec = build_spec(None, "Asia/Tokyo", cron="0 9 * * MON")
    assert (spec.cron, spec.timezone) == ("0 9 * * mon", "Asia/Tokyo")


def test_build_spec_every_days_keeps_the_given_anchor() -> None:
    spec = build_spec("08:00", "UTC", every_days=3, anchor=date(2026, 1, 2))
    assert (spec.every_days, spec.anchor, spec.times) == (3, date(2026, 1, 2), (time(8),))


def test_build_spec_every_days_anchors_on_today_in_the_zone() -> None:
    zone = ZoneInfo("Pacific/Kiritimati")  # +14: its date often differs from UTC's
    before = datetime.now(zone).date()
    spec = build_spec(None, "Pacific/Kiritimati", every_days=2)
    assert spec.anchor in {before, datetime.now(zone).date()}


def test_build_spec_drops_an_anchor_without_every_days() -> None:
    assert build_spec(None, "UTC", anchor=date(2026, 1, 1)).anchor is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"at": "09:00", "cron": "0 9 * * *"}, "cron"),
        ({"days": "mon", "cron": "0 9 * * *"}, "cron"),
        ({"every_days": 2, "cron": "0 9 * * *"}, "cron"),
        ({"every_days": 0}, "every_days"),
        ({"every_days": -3}, "every_days"),
        ({"every_days": 2, "days": "mon-fri"}, "days"),
        ({"at": "9"}, "times"),
        ({"tz": "Mars/Olympus"}, "timezone"),
        ({"quiet": "christmas"}, "quiet_dates"),
        ({"cron": "0 9 * *"}, "cron"),
    ],
)
def test_build_spec_rejects_contradictions_and_bad_parts(
    kwargs: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {"at": None, "tz": "UTC", **kwargs}
    error = error_of(build_spec, **arguments)
    assert error.field == field
    assert error.message


def test_build_spec_contradiction_messages_say_what_to_do() -> None:
    assert "either cron" in error_of(build_spec, "09:00", "UTC", cron="0 9 * * *").message
    assert ">= 1" in error_of(build_spec, None, "UTC", every_days=0).message
    assert "not both" in error_of(build_spec, None, "UTC", days="mon", every_days=2).message
