"""Who may do what: one decision for every door (chat commands, buttons, modals, the CLI).

`Access.caller` turns an Invocation into a Caller once: its community and whether it manages
that community. Every object a command reads or changes is then loaded through Access *within*
the caller's community, so another community's object reads exactly like one that does not
exist (same message, same path). Shared (global) prompts can be read by every community but
reviewed by none.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.core.domain import Community, PlatformName, Prompt, PromptStatus, Schedule
from bot.core.invocations import CommandError, Invocation
from bot.core.ports import Standings, UnitOfWork, UnitOfWorkFactory

NOT_A_MANAGER = (
    "Only the community's managers can do that: workspace/server "
    "admins, or members a manager added with `settings managers add`."
)


def no_prompt(prompt_id: int) -> CommandError:
    return CommandError(f"no prompt with id {prompt_id}")


def no_schedule(schedule_id: int) -> CommandError:
    return CommandError(f"no schedule with id {schedule_id}")


def no_community(community_id: int) -> CommandError:
    return CommandError(f"no community with id {community_id}")


@dataclass(frozen=True)
class Person:
    """Someone signed in to the dashboard: who the platform's sign-in said they are. Their
    rights are never taken from here: `Access.web_caller` asks the platform each time."""

    platform: PlatformName
    member_id: str
    name: str = ""


@dataclass(frozen=True)
class Caller:
    """Someone acting in one community, with their rights there decided once."""

    community: Community
    member_id: str
    is_manager: bool


def manages(inv: Invocation, community: Community, global_managers: Collection[str]) -> bool:
    """The manager rule: a platform admin, the member who installed Tigerbird, a member or role
    on the community's manager lists, or a deployment-wide manager (TIGERBIRD_MANAGERS)."""
    return (
        inv.member_is_admin
        or inv.member_is_installer
        or inv.member_id in community.manager_ids
        or inv.member_id in global_managers
        or any(role in community.manager_role_ids for role in inv.member_roles)
    )


class Access:
    """The one authorization path and the loaders scoped to the caller's community."""

    def __init__(self, uow: UnitOfWorkFactory, global_managers: Collection[str] = ()) -> None:
        self.uow = uow
        self.global_managers = tuple(global_managers)

    async def caller(self, inv: Invocation) -> Caller:
        """Resolve who is acting where (the community is created on first contact)."""
        async with self.uow() as u:
            community = await u.communities.ensure(inv.platform, inv.community, inv.community_name)
            await u.commit()
        return self.caller_in(inv, community)

    def caller_in(self, inv: Invocation, community: Community) -> Caller:
        """The caller of an Invocation whose community is already resolved."""
        if (inv.platform, inv.community) != (community.platform, community.external_id):
            raise CommandError(NOT_A_MANAGER)
        return Caller(community, inv.member_id, manages(inv, community, self.global_managers))

    async def web_caller(
        self, person: Person, community_id: int, standings: Mapping[PlatformName, Standings]
    ) -> Caller:
        """A signed-in person managing one community, decided now by the manager rule with the
        platform's current word on them; any community they do not manage (another platform's,
        another tenant's, one they left) reads exactly like a missing one."""
        async with self.uow() as u:
            community = await u.communities.get(community_id)
        asker = standings.get(person.platform)
        if community is None or community.platform is not person.platform or asker is None:
            raise no_community(community_id)
        standing = await asker.standing(community.external_id, person.member_id)
        if standing is None:
            raise no_community(community_id)
        inv = Invocation(
            person.platform,
            community.external_id,
            "",
            person.member_id,
            standing.is_admin,
            standing.roles,
            community.name,
            standing.is_installer,
        )
        caller = self.caller_in(inv, community)
        if not caller.is_manager:
            raise no_community(community_id)
        return caller

    async def managed_communities(
        self,
        person: Person,
        external_ids: Collection[str],
        standings: Mapping[PlatformName, Standings],
    ) -> list[Caller]:
        """Those of the person's communities (as their sign-in listed them) that Tigerbird
        serves and that they manage now, by name."""
        async with self.uow() as u:
            found = await u.communities.find_many([(person.platform, e) for e in external_ids])
        callers = []
        for community in found.values():
            try:
                callers.append(await self.web_caller(person, community.id, standings))
            except CommandError:
                continue
        return sorted(callers, key=lambda c: (c.community.name.lower(), c.community.id))

    @staticmethod
    def require_manager(caller: Caller) -> None:
        if not caller.is_manager:
            raise CommandError(NOT_A_MANAGER)

    # --- loaders scoped to the caller's community ------------------------------------------

    async def prompt(self, caller: Caller, prompt_id: int) -> Prompt:
        """A prompt of the caller's community, or a shared one; any other reads as missing."""
        async with self.uow() as u:
            return await _prompt_in(u, caller.community, prompt_id)

    async def decide(self, caller: Caller, prompt_id: int, status: PromptStatus) -> Prompt:
        """Approve or reject one of the community's pending suggestions, in one transaction."""
        self.require_manager(caller)
        async with self.uow() as u:
            prompt = await _prompt_in(u, caller.community, prompt_id)
            if prompt.community_id is None:
                raise CommandError(
                    f"Prompt #{prompt_id} is a shared prompt: only this community's own "
                    "suggestions can be approved or rejected here."
                )
            if prompt.status is not PromptStatus.PENDING:
                raise CommandError(
                    f"Prompt #{prompt_id} is not waiting for review ({prompt.status})."
                )
            decided = await u.prompts.change_status(
                prompt.id, caller.community.id, PromptStatus.PENDING, status
            )
            if not decided:
                raise CommandError(f"Prompt #{prompt_id} was decided just now by someone else.")
            await u.commit()
        prompt.status = status
        return prompt

    async def pending(self, caller: Caller) -> list[Prompt]:
        """The community's suggestions waiting for review, oldest first."""
        self.require_manager(caller)
        async with self.uow() as u:
            found = await u.prompts.all(
                PromptStatus.PENDING, caller.community.id, include_global=False
            )
        return sorted(
            (p for p in found if p.community_id == caller.community.id), key=lambda p: p.id
        )

    async def schedule(self, caller: Caller, schedule_id: int) -> Schedule:
        """One of the community's schedules; any other reads as missing."""
        async with self.uow() as u:
            schedule = await u.schedules.get(schedule_id)
        if schedule is None or schedule.community_id != caller.community.id:
            raise no_schedule(schedule_id)
        return schedule

    async def schedules_in_channel(self, inv: Invocation) -> list[Schedule]:
        """The schedules of the channel a command was typed in, within its community."""
        async with self.uow() as u:
            found = await u.communities.find(inv.platform, inv.community)
            return [] if found is None else await u.schedules.for_channel(found.id, inv.channel)

    async def operator(self, platform: PlatformName, community: str) -> Caller:
        """The deployment's operator (the CLI, a shell on the host) acting in one community."""
        async with self.uow() as u:
            found = await u.communities.find(platform, community)
        if found is None:
            raise CommandError(f"no {platform.value} community '{community}'")
        return Caller(found, "operator", is_manager=True)


async def _prompt_in(u: UnitOfWork, community: Community, prompt_id: int) -> Prompt:
    prompt = await u.prompts.get(prompt_id)
    if prompt is None or prompt.community_id not in (None, community.id):
        raise no_prompt(prompt_id)
    return prompt
