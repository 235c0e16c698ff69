"""`tigerbird privacy export|forget --platform P --member ID`: one member's stored data."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated, Any

import typer

from bot.app.bootstrap import Core
from bot.app.cli.common import fail, load_settings, out, run_with_core
from bot.core.domain import PlatformName
from bot.core.ports import Forgotten, MemberData, UnitOfWorkFactory

app = typer.Typer(help="What is stored about a member; forgetting them.", no_args_is_help=True)
PLATFORMS = ", ".join(p.value for p in PlatformName)
PlatformOption = Annotated[str, typer.Option(help=f"One of {PLATFORMS}.")]
MemberOption = Annotated[str, typer.Option(help="The member's id on that platform.")]


def _platform(value: str) -> PlatformName:
    if value not in {p.value for p in PlatformName}:
        fail(f"--platform: '{value}' is not one of {PLATFORMS}")
    return PlatformName(value)


async def member_data(
    uow: UnitOfWorkFactory, member_key: str, platform: PlatformName, member_id: str
) -> MemberData:
    """What the store holds about the member (any store: SQL or memory)."""
    async with uow() as u:
        data = await u.member_data.show(member_key, platform, member_id)
        return replace(data, rituals=await u.rituals.about(member_key))


async def forget_member(
    uow: UnitOfWorkFactory, member_key: str, platform: PlatformName, member_id: str
) -> Forgotten:
    """Forget the member in one transaction (any store: SQL or memory)."""
    async with uow() as u:
        done = await u.member_data.forget(member_key, platform, member_id)
        done = replace(done, rituals=await u.rituals.forget(member_key))
        await u.commit()
    return done


def member_json(platform: PlatformName, member_id: str, data: MemberData) -> dict[str, Any]:
    """The document `privacy export` prints."""
    return {
        "platform": platform.value,
        "member": member_id,
        "pseudonymous_key": data.member_key,
        "responses": data.responses,
        "activity": data.activity,
        "suggestions": data.suggestions,
        "manager_of": data.managing,
        "slack_installations": data.slack_installations,
        "rituals": data.rituals,
    }


def forgotten_line(done: Forgotten) -> str:
    """The line `privacy forget` prints."""
    return (
        f"forgot {done.responses} responses and {done.activity} activity records; "
        f"{done.posts_reset} post outcomes will be recomputed; "
        f"{done.suggestions_unattributed} suggestions no longer carry the member's id; "
        f"removed from the managers of {done.manager_listings} communities; "
        f"removed {done.rituals} ritual records (choices, streak milestones, kept replies)"
    )


@app.command("export")
def export_member(platform: PlatformOption, member: MemberOption) -> None:
    """Print, as JSON, every response, activity record, suggestion, manager listing, Slack
    installation and ritual record held about a member."""
    name = _platform(platform)

    async def work(core: Core) -> MemberData:
        key = core.members.key(name, member)
        return await member_data(core.uow, key, name, member)

    data = run_with_core(load_settings(), work)
    out.print_json(json.dumps(member_json(name, member, data)))


@app.command()
def forget(
    platform: PlatformOption,
    member: MemberOption,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a member's responses, activity, manager listings and ritual records (choices,
    streak milestones, kept replies); the outcomes they counted in are recomputed."""
    name = _platform(platform)
    if not yes:
        typer.confirm(f"Forget {name.value} member {member}?", abort=True)

    async def work(core: Core) -> Forgotten:
        key = core.members.key(name, member)
        return await forget_member(core.uow, key, name, member)

    done = run_with_core(load_settings(), work)
    out.print(forgotten_line(done))
