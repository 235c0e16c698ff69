"""`tigerbird schedule …`: add, list, pause, resume, skip, remove, preview (suggest-time and
holiday-codes are in bot.app.cli.schedule_calendar)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from bot.app.bootstrap import Core
from bot.app.cli.common import err, fail, load_settings, out, run_with_core
from bot.chat.commands import describe
from bot.core.domain import CatchUp, PlatformName
from bot.core.invocations import CommandError
from bot.core.ports import NewSchedule
from bot.scheduling.parse import ScheduleError, build_spec
from bot.service_layer.schedule_form import check_holiday_category
from bot.service_layer.services import NotFound

app = typer.Typer(help="Schedules: which channel gets a prompt when.", no_args_is_help=True)

PLATFORMS = ", ".join(p.value for p in PlatformName)


EVERY_DAYS = (1, 365)


@app.command()
def add(
    platform: Annotated[str, typer.Option(help=f"One of {PLATFORMS}.")],
    channel: Annotated[str, typer.Option(help="Channel id on the platform.")],
    at: Annotated[str | None, typer.Option(help="Local times, e.g. 09:00,17:30.")] = None,
    tz: Annotated[str | None, typer.Option(help="IANA timezone, e.g. Europe/Paris.")] = None,
    community: Annotated[
        str | None,
        typer.Option(help="Workspace/server id; required for slack and discord (console: local)."),
    ] = None,
    days: Annotated[str | None, typer.Option(help="mon-fri, mon,wed,fri, weekends…")] = None,
    every_days: Annotated[
        int | None,
        typer.Option(help=f"Every N days ({EVERY_DAYS[0]}..{EVERY_DAYS[1]}) instead of weekdays."),
    ] = None,
    cron: Annotated[str | None, typer.Option(help="A 5-field cron expression instead.")] = None,
    catch_up: Annotated[str, typer.Option(help="skip, latest or all.")] = "latest",
    repeat_window: Annotated[int, typer.Option(help="Days before a prompt may repeat.")] = 60,
    force: Annotated[
        bool, typer.Option(help="Add it even if the channel already has a schedule.")
    ] = False,
    holidays: Annotated[
        str | None,
        typer.Option(
            help="Public-holiday calendars, e.g. US,CA or DE-BY,GB-SCT "
            "(`tigerbird schedule holiday-codes` lists them), in the schedule's time zone."
        ),
    ] = None,
    on_holiday: Annotated[
        str | None,
        typer.Option(help="skip (default) or category:NAME to post a lighter prompt that day."),
    ] = None,
) -> None:
    """Schedule a channel. A channel that already has a schedule gets a warning and nothing
    is added, unless --force (then it gets both, e.g. a daily and a weekly one)."""
    settings = load_settings()
    if platform not in {p.value for p in PlatformName}:
        fail(f"--platform: '{platform}' is not one of {PLATFORMS}")
    if not channel.strip():
        fail("--channel: must not be empty (the channel id, e.g. C0123ABCD)")
    if catch_up not in {c.value for c in CatchUp}:
        fail(f"--catch-up: '{catch_up}' is not one of skip, latest, all")
    if not 0 <= repeat_window <= 3650:
        fail(f"--repeat-window: {repeat_window} must be 0..3650 days")
    if every_days is not None and not EVERY_DAYS[0] <= every_days <= EVERY_DAYS[1]:
        fail(f"--every-days: {every_days} must be {EVERY_DAYS[0]}..{EVERY_DAYS[1]}")
    try:
        spec = build_spec(
            at=at if at or cron else "09:00",
            tz=tz or settings.tigerbird_timezone,
            days=days,
            every_days=every_days,
            cron=cron,
            holidays=holidays,
            on_holiday=on_holiday,
        )
        check_holiday_category(spec)
    except ScheduleError as error:
        flag = {"timezone": "tz", "times": "at"}.get(error.field, error.field)
        fail(f"--{flag.replace('_', '-')}: {error.message}")
    if community is None or not community.strip():
        if platform != PlatformName.CONSOLE.value:
            fail(f"--community: required for {platform} (the workspace/server id)")
        community = "local"
    new = NewSchedule(
        0, channel, spec, catch_up=CatchUp(catch_up), repeat_window_days=repeat_window
    )
    where = f"#{channel} ({platform} {community})"

    async def work(core: Core) -> int:
        existing = await core.service.schedules_in_channel(
            PlatformName(platform), community, channel
        )
        if existing:
            ids = ", ".join(str(s.id) for s in existing)
            err.print(
                f"[yellow]warning:[/yellow] {escape(where)} already has schedule {ids}: "
                f"{escape(describe(existing[0]))}",
                soft_wrap=True,
            )
            if not force:
                err.print("nothing added; add --force to give it a second schedule")
                return 1
        schedule, _ = await core.service.add_schedule(PlatformName(platform), community, new)
        out.print(
            f"schedule {schedule.id}: {escape(where)} {escape(describe(schedule))}", soft_wrap=True
        )
        return 0

    if run_with_core(settings, work):
        raise typer.Exit(1)


@app.command("list")
def list_schedules() -> None:
    """Every schedule with its platform, community, next slot and days left before repeats."""

    async def work(core: Core) -> None:
        communities = {c.id: c for c in await core.service.all_communities()}
        # Where is stacked on three short lines so that `when` keeps ~35 columns at 80.
        table = Table(box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False)
        table.add_column("id", justify="right", no_wrap=True)
        table.add_column("platform\ncommunity\n#channel", overflow="fold")
        table.add_column("when", ratio=1, overflow="fold")
        table.add_column("catch-up", no_wrap=True)
        table.add_column("repeat", no_wrap=True)
        table.add_column("days left", no_wrap=True)
        schedules = await core.service.list_schedules()
        lasting = await core.service.days_left_of(schedules)
        for s in schedules:
            found = communities.get(s.community_id)
            platform = found.platform.value if found else "?"
            community = (found.name or found.external_id) if found else str(s.community_id)
            table.add_row(
                str(s.id),
                escape(f"{platform}\n{community}\n#{s.channel}"),
                escape(describe(s)),
                s.catch_up.value,
                f"{s.repeat_window_days} d",
                lasting[s.id].label(),
                end_section=True,
            )
        out.print(table)

    run_with_core(load_settings(), work)


Within = Annotated[
    str | None,
    typer.Option(
        "--community",
        help="Act only within this community, as platform:id (e.g. slack:T123); "
        "another community's schedule reads as not found.",
    ),
]


async def _within(core: Core, community: str | None, schedule_id: int) -> None:
    """The CLI's community scope goes through the same check as chat (bot.core.authz)."""
    if community is None:
        return
    platform, _, external = community.partition(":")
    if platform not in {p.value for p in PlatformName} or not external:
        fail(f"--community: '{community}' must be platform:id with platform one of {PLATFORMS}")
    access = core.commands.access
    await access.schedule(await access.operator(PlatformName(platform), external), schedule_id)


def _act(schedule_id: int, action: str, community: str | None = None) -> None:
    async def work(core: Core) -> None:
        try:
            await _within(core, community, schedule_id)
            if action == "remove":
                await core.service.remove_schedule(schedule_id)
                out.print(f"schedule {schedule_id} removed")
                return
            method = {
                "pause": core.service.pause,
                "resume": core.service.resume,
                "skip": core.service.skip_next,
            }[action]
            schedule = await method(schedule_id)
            out.print(f"schedule {schedule_id}: {escape(describe(schedule))}")
        except (NotFound, CommandError) as error:
            fail(str(error))

    run_with_core(load_settings(), work)


@app.command()
def pause(schedule_id: int, community: Within = None) -> None:
    """Stop posting until resumed."""
    _act(schedule_id, "pause", community)


@app.command()
def resume(schedule_id: int, community: Within = None) -> None:
    """Start posting again from the next slot."""
    _act(schedule_id, "resume", community)


@app.command()
def skip(schedule_id: int, community: Within = None) -> None:
    """Skip the coming slot."""
    _act(schedule_id, "skip", community)


@app.command()
def remove(schedule_id: int, community: Within = None) -> None:
    """Delete a schedule and its history."""
    _act(schedule_id, "remove", community)


@app.command()
def preview(
    schedule_id: int,
    count: Annotated[int, typer.Option(min=1, max=60)] = 5,
    community: Within = None,
) -> None:
    """The next slots in local time and UTC, with the prompt each would get and the public
    holiday a slot falls on, and the days left before the library runs out of prompts that
    are not repeats."""

    async def work(core: Core) -> None:
        try:
            await _within(core, community, schedule_id)
            previews = await core.service.preview(schedule_id, count)
            lasting = await core.service.days_left(schedule_id)
        except (NotFound, CommandError) as error:
            fail(str(error))
        table = Table("local", "UTC", "prompt")
        for p in previews:
            text = escape(p.prompt.text) if p.prompt else "(no eligible prompt)"
            if p.holiday:
                text = f"{escape(p.prompt.text)} " if p.prompt else "(skipped) "
                text += escape(f"[holiday: {p.holiday}]")
            table.add_row(f"{p.local:%a %Y-%m-%d %H:%M %Z}", f"{p.slot_at:%Y-%m-%d %H:%M}", text)
        out.print(table)
        short = f" (shortest categories: {lasting.short_label()})" if lasting.low else ""
        out.print(escape(f"Days left before repeats: {lasting.label()}{short}"))

    run_with_core(load_settings(), work)
