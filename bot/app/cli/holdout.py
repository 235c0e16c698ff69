"""`tigerbird holdout platform:id [SHARE|default]`: a community's holdout share."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer
from rich.markup import escape

from bot.app.bootstrap import Core
from bot.app.cli.common import fail, load_settings, out, run_with_core
from bot.core.domain import PlatformName
from bot.delivery.holdout import parse_share

PLATFORMS = ", ".join(p.value for p in PlatformName)


def register(app: typer.Typer) -> None:
    app.command("holdout")(holdout)


def holdout(
    community: Annotated[
        str, typer.Argument(help="The community as platform:id, e.g. slack:T123.")
    ],
    share: Annotated[
        str | None,
        typer.Argument(help="0..1 or a percentage (0 turns it off), or default."),
    ] = None,
) -> None:
    """Show or set the share of a community's slots given to a uniform pick (the holdout
    that measures the policy's lift); `default` follows TIGERBIRD_HOLDOUT."""
    platform, _, external = community.partition(":")
    if platform not in {p.value for p in PlatformName} or not external:
        fail(f"community: '{community}' must be platform:id with platform one of {PLATFORMS}")
    wanted = None
    if share is not None:
        try:
            wanted = parse_share(share)
        except ValueError as error:
            fail(str(error))
    settings = load_settings()

    async def work(core: Core) -> str:
        found = await core.service.community(PlatformName(platform), external)
        if found is None:
            fail(f"community: no community '{community}'")
        if share is not None:
            await core.service.update_community(replace(found, holdout=wanted))
            found = replace(found, holdout=wanted)
        if found.holdout is None:
            return f"{community}: holdout default ({settings.tigerbird_holdout:.0%})"
        return f"{community}: holdout {found.holdout:.0%}"

    out.print(escape(run_with_core(settings, work)))
