"""`tigerbird schedule suggest-time ID` (the best time to post) and `tigerbird schedule
holiday-codes [COUNTRY]` (the holiday calendars a schedule may follow)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.analytics.best_time_text import best_time_text
from bot.app.bootstrap import Core
from bot.app.cli.common import fail, load_settings, out, run_with_core
from bot.app.cli.schedules import Within, _within
from bot.core.invocations import CommandError
from bot.scheduling.holiday_calendars import supported
from bot.service_layer.services import NotFound


def suggest_time(schedule_id: int, community: Within = None) -> None:
    """The local hour the channel has the most active members, vs the current slot, with the
    expected responders and how many weeks of activity it rests on."""

    async def work(core: Core) -> None:
        try:
            await _within(core, community, schedule_id)
            schedule = await core.service.get_schedule(schedule_id)
            result = await core.service.best_time(schedule_id)
        except (NotFound, CommandError) as error:
            fail(str(error))
        out.print(escape(best_time_text(result, schedule.spec.timezone)), soft_wrap=True)
        if result is not None:
            table = Table("local hour", "active members / day", "± error")
            for hour in result.hours:
                mark = " (best)" if hour is result.best else ""
                mark += " (current slot)" if hour is result.current else ""
                table.add_row(f"{hour.hour:02d}:00{mark}", f"{hour.mean:.1f}", f"{hour.error:.1f}")
            out.print(table)

    run_with_core(load_settings(), work)


def holiday_codes(
    country: Annotated[
        str | None, typer.Argument(help="A country code (e.g. DE) to list its subdivisions.")
    ] = None,
) -> None:
    """The holiday calendars `schedule add --holidays` accepts: country codes, or one
    country's subdivision codes (give them as DE-BY, GB-SCT)."""
    known = supported()
    if country is None:
        out.print(" ".join(sorted(known)), soft_wrap=True)
        return
    code = country.strip().upper()
    if code not in known:
        fail(f"'{country}' is not a country with a holiday calendar; run without it to list them")
    subdivisions = known[code]
    if not subdivisions:
        out.print(f"{code} has no subdivisions: use {code}")
        return
    out.print(" ".join(f"{code}-{s}" for s in subdivisions), soft_wrap=True)


def register(schedule_app: typer.Typer) -> None:
    """Mount these commands on `tigerbird schedule`."""
    schedule_app.command("suggest-time")(suggest_time)
    schedule_app.command("holiday-codes")(holiday_codes)
