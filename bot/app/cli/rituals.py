"""`tigerbird rituals SCHEDULE_ID [--streaks on|off] [--regulars on|off] [--best-answer on|off]`:
a channel's member rituals (streak milestones, the monthly regulars board, the best answer)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bot.app.bootstrap import Core
from bot.app.cli.common import fail, load_settings, out, run_with_core
from bot.app.cli.schedules import Within, _within
from bot.chat.settings_command import ON_OFF, RITUALS, with_ritual
from bot.core.domain import Schedule
from bot.core.invocations import CommandError
from bot.service_layer.services import NotFound

OnOff = Annotated[str | None, typer.Option(help="on or off")]


def register(app: typer.Typer) -> None:
    app.command("rituals")(rituals)


def describe_rituals(schedule: Schedule) -> str:
    """One line: each ritual on or off for the schedule's channel."""
    shown = (f"{n} {'on' if getattr(schedule, f) else 'off'}" for n, f in RITUALS.items())
    return f"schedule {schedule.id} (#{schedule.channel}): " + " · ".join(shown)


def rituals(
    schedule_id: int,
    streaks: OnOff = None,
    regulars: OnOff = None,
    best_answer: OnOff = None,
    community: Within = None,
) -> None:
    """Show or change a channel's member rituals: streak milestones (on by default), the
    monthly regulars board and the best answer quoted under the next prompt (off by default)."""
    wanted: dict[str, bool] = {}
    for name, value in (("streaks", streaks), ("regulars", regulars), ("best-answer", best_answer)):
        if value is None:
            continue
        if value.lower() not in ON_OFF:
            fail(f"--{name}: '{value}' must be on or off")
        wanted[name] = ON_OFF[value.lower()]

    async def work(core: Core) -> str:
        try:
            await _within(core, community, schedule_id)
            schedule = await core.service.get_schedule(schedule_id)
            for name, on in wanted.items():
                schedule = with_ritual(schedule, name, on)
            if wanted:
                schedule = await core.service.update_schedule(schedule)
        except (NotFound, CommandError) as error:
            fail(str(error))
        return describe_rituals(schedule)

    out.print(escape(run_with_core(load_settings(), work)))
