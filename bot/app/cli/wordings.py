"""`tigerbird prompts wordings ID` and `tigerbird prompts promote ID WORDING --community ...`:
a prompt's A/B wordings (each one's rate and 90 % interval, and whether one is credibly
better), and promoting the winner within one community."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bot.analytics.wordings import WordingReport, wording_lines, wording_report
from bot.app.bootstrap import Core
from bot.app.cli.common import fail, load_settings, out, run_with_core
from bot.core.authz import Caller
from bot.core.domain import PlatformName
from bot.core.invocations import CommandError
from bot.service_layer.wordings import WordingManagement

PLATFORMS = ", ".join(p.value for p in PlatformName)
Community = Annotated[
    str | None,
    typer.Option(
        "--community",
        help="Within this community, as platform:id (e.g. slack:T123); another community's "
        "prompt reads as not found.",
    ),
]


def register(app: typer.Typer) -> None:
    app.command("wordings")(wordings)
    app.command("promote")(promote)


def _management(core: Core) -> WordingManagement:
    access = core.commands.access
    return WordingManagement(core.uow, access, core.service.audit_trail(access))


async def _operator(core: Core, community: str) -> Caller:
    platform, _, external = community.partition(":")
    if platform not in {p.value for p in PlatformName} or not external:
        fail(f"--community: '{community}' must be platform:id with platform one of {PLATFORMS}")
    return await core.commands.access.operator(PlatformName(platform), external)


def wordings(
    prompt_id: Annotated[int, typer.Argument(help="The prompt's id (see `prompts list`).")],
    community: Community = None,
) -> None:
    """Each wording of a prompt (A is the main text, then its variants): times posted, rate and
    90 % credible interval, in one community or (without --community) in all of them, and
    whether one wording is credibly better (best in at least 95 % of posterior draws)."""

    async def work(core: Core) -> WordingReport:
        manage = _management(core)
        try:
            if community is None:
                data = await manage.everywhere(prompt_id)
            else:
                data = await manage.data(await _operator(core, community), prompt_id)
        except CommandError as error:
            fail(str(error))
        return wording_report(data)

    report = run_with_core(load_settings(), work)
    where = f"in {community}" if community else "in all communities"
    out.print(f"[bold]Wordings of prompt #{report.prompt_id} {escape(where)}[/bold]")
    for line in wording_lines(report):
        out.print(escape(line), soft_wrap=True)


def promote(
    prompt_id: Annotated[int, typer.Argument(help="The prompt's id.")],
    wording: Annotated[str, typer.Argument(help="A (the main text), B or C.")],
    community: Community = None,
) -> None:
    """Make one wording the one a community posts. A community's own prompt gets it as its
    main text (the old text becomes a variant); a shared prompt keeps its pack text and the
    community is pinned to the promoted wording. Audited in that community's log."""
    if community is None:
        fail("--community: promotion is per community; give it as platform:id")

    async def work(core: Core) -> str:
        try:
            caller = await _operator(core, community)
            return await _management(core).promote(caller, prompt_id, wording)
        except CommandError as error:
            fail(str(error))

    out.print(escape(run_with_core(load_settings(), work)), soft_wrap=True)
