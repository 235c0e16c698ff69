"""One community can never touch another's data: for every command and button, acting from
community A on community B's ids is refused exactly like acting on an id that does not exist,
and nothing stored changes. On the memory store, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.chat.commands import ChatCommands
from bot.core.authz import Access
from bot.core.domain import PlatformName, PromptStatus
from bot.core.invocations import CommandError, Invocation, Reply
from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.conftest import START
from tests.helpers import drafts, make_service
from tests.reliability.sizing import EXAMPLES

# 40 examples per store by default; `make test-reliability` (2000) makes it 400.
ISOLATION = settings(
    max_examples=max(EXAMPLES // 5, 10), deadline=None, suppress_health_check=list(HealthCheck)
)
SLACK, DISCORD = PlatformName.SLACK, PlatformName.DISCORD
MISSING_CHANNEL = "CNOWHERE"
# Commands that act on the channel they are typed in (B's channel, seen from A).
CHANNEL_COMMANDS = [
    "skip",
    "pause",
    "resume",
    "preview 2",
    "settings",
    "settings thread off",
    "settings pin on",
    "settings catch-up all",
    "stats",
]


@dataclass
class World:
    commands: ChatCommands
    store: UnitOfWorkFactory
    admin_a: Invocation
    b_prompt_ids: list[int]
    b_schedule_ids: list[int]
    b_channel: str
    b_texts: list[str]
    missing_id: int


def inv(platform: PlatformName, community: str, channel: str, member: str) -> Invocation:
    return Invocation(platform, community, channel, member, member_is_admin=True)


async def populate(
    commands: ChatCommands, admin: Invocation, member: Invocation, tag: str
) -> tuple[list[int], list[str]]:
    """A schedule, an added prompt, and suggestions pending, approved and rejected."""
    assert "Scheduled" in (await commands.run(admin, "here 09:00 UTC")).text
    added = await commands.run(admin, f"add Which {tag} door would you love to open?")
    assert added.text.startswith("Added"), added.text
    ids, texts = [], []
    for n, question in enumerate(("smell", "sound", "taste")):
        text = f"Which {question} reminds you of {tag} summers?"
        reply = await commands.run(member, f"suggest {text}")
        assert reply.review is not None, reply.text
        ids.append(reply.review.prompt_id)
        texts.append(text)
        if n == 1:
            await commands.approve(admin, reply.review.prompt_id)
        elif n == 2:
            await commands.reject(admin, reply.review.prompt_id, "no")
    async with commands.service.uow() as u:
        all_prompts = await u.prompts.all(status=None, include_global=False)
    community_id = (await commands.access.caller(admin)).community.id
    ids += [p.id for p in all_prompts if p.community_id == community_id and p.id not in ids]
    return ids, texts


async def build_world(store: UnitOfWorkFactory) -> World:
    service, _ = make_service(store, FrozenClock(START))
    await service.sync_library(drafts(6))
    commands = ChatCommands(service, "UTC")
    admin_a = inv(SLACK, "TA", "CA", "UA")
    await populate(commands, admin_a, replace(admin_a, member_id="UA2", member_is_admin=False), "A")
    admin_b = inv(DISCORD, "GB", "CB", "UB")
    member_b = replace(admin_b, member_id="UB2", member_is_admin=False)
    b_ids, b_texts = await populate(commands, admin_b, member_b, "B")
    community_b = (await commands.access.caller(admin_b)).community.id
    schedules = [s.id for s in await service.list_schedules(community_b)]
    async with store() as u:
        top = max(p.id for p in await u.prompts.all(status=None))
    return World(commands, store, admin_a, b_ids, schedules, "CB", b_texts, top + 1000)


Snapshot = tuple[
    list[tuple[int, str]], list[tuple[int, PromptStatus, str]], list[str], list[str]
]


async def snapshot(store: UnitOfWorkFactory) -> Snapshot:
    async with store() as u:
        return copy.deepcopy(
            (
                sorted((s.id, repr(s)) for s in await u.schedules.all()),
                sorted((p.id, p.status, p.text) for p in await u.prompts.all(status=None)),
                sorted(repr(c) for c in await u.communities.all()),
                sorted(repr(p) for p in await u.posts.all()),
            )
        )


async def act(world: World, action: str, target: int, reason: str) -> Reply:
    """One door, aimed at `target` (a prompt id) from community A's admin."""
    commands, caller = world.commands, world.admin_a
    if action == "approve command":
        return await commands.run(caller, f"approve {target}")
    if action == "reject command":
        return await commands.run(caller, f"reject {target} {reason}")
    if action == "approve button":
        return await commands.approve(caller, target)
    return await commands.reject(caller, target, reason)


def same_answer(a: Reply, a_id: int, b: Reply, b_id: int) -> None:
    assert a.refused and b.refused
    assert a.text.replace(str(a_id), "<id>") == b.text.replace(str(b_id), "<id>")
    assert a.direct_message is None and b.direct_message is None and a.review is None


@pytest.fixture
async def world(store: UnitOfWorkFactory) -> World:
    return await build_world(store)


@ISOLATION
@given(
    data=st.data(),
    action=st.sampled_from(["approve command", "reject command", "approve button", "reject"]),
    reason=st.text(max_size=20),
)
async def test_prompt_ids_of_another_community_read_as_missing(
    world: World, data: st.DataObject, action: str, reason: str
) -> None:
    before = await snapshot(world.store)
    target = data.draw(st.sampled_from(world.b_prompt_ids), label="B's prompt")

    theirs = await act(world, action, target, reason)
    missing = await act(world, action, world.missing_id, reason)

    same_answer(theirs, target, missing, world.missing_id)
    assert await snapshot(world.store) == before


@ISOLATION
@given(command=st.sampled_from(CHANNEL_COMMANDS))
async def test_another_communitys_channel_reads_as_one_without_a_schedule(
    world: World, command: str
) -> None:
    before = await snapshot(world.store)

    theirs = await world.commands.run(replace(world.admin_a, channel=world.b_channel), command)
    missing = await world.commands.run(replace(world.admin_a, channel=MISSING_CHANNEL), command)

    assert theirs.refused and theirs.text == missing.text
    assert await snapshot(world.store) == before


async def test_pending_lists_only_the_callers_suggestions(world: World) -> None:
    reply = await world.commands.run(world.admin_a, "pending")
    assert reply.text.startswith("1 waiting for review") and "A summers" in reply.text
    for text in world.b_texts:
        assert text not in reply.text
    member = replace(world.admin_a, member_id="UA2", member_is_admin=False)
    assert (await world.commands.run(member, "pending")).text.startswith("Only the community's")


async def test_the_cli_loads_schedules_within_the_operators_community(world: World) -> None:
    access: Access = world.commands.access
    operator = await access.operator(SLACK, "TA")
    answers = []
    for schedule_id in (*world.b_schedule_ids, world.missing_id):
        with pytest.raises(CommandError) as refused:
            await access.schedule(operator, schedule_id)
        answers.append(str(refused.value).replace(str(schedule_id), "<id>"))
    assert set(answers) == {"no schedule with id <id>"}
    [own] = await world.commands.service.list_schedules(operator.community.id)
    assert (await access.schedule(operator, own.id)).id == own.id


async def test_shared_prompts_are_readable_but_not_reviewable(world: World) -> None:
    async with world.store() as u:
        shared = next(p for p in await u.prompts.all() if p.community_id is None)
    caller = await world.commands.access.caller(world.admin_a)
    assert (await world.commands.access.prompt(caller, shared.id)).id == shared.id
    before = await snapshot(world.store)
    reply = await world.commands.run(world.admin_a, f"approve {shared.id}")
    assert reply.refused and "shared prompt" in reply.text
    assert await snapshot(world.store) == before


async def test_an_approve_by_the_owning_community_still_works(world: World) -> None:
    own = await world.commands.run(world.admin_a, "pending")
    prompt_id = int(own.text.split("\n")[1].split()[0].lstrip("#"))
    reply = await world.commands.approve(world.admin_a, prompt_id)
    assert not reply.refused and "joins the library" in reply.text
    assert reply.direct_message is not None and reply.direct_message[0] == "UA2"
    assert (await world.commands.service.get_prompt(prompt_id)).status is PromptStatus.ACTIVE
    again = await world.commands.approve(world.admin_a, prompt_id)
    assert again.refused and "not waiting for review" in again.text


async def test_two_managers_deciding_at_once_make_one_decision(store: UnitOfWorkFactory) -> None:
    world = await build_world(store)
    member = replace(world.admin_a, member_id="UA2", member_is_admin=False)
    other = replace(world.admin_a, member_id="UA3")
    for n in range(6):  # a few rounds: the race window is narrow
        suggested = await world.commands.run(member, f"suggest Which place number {n} calms you?")
        assert suggested.review is not None, suggested.text
        prompt_id = suggested.review.prompt_id

        replies = await asyncio.gather(
            world.commands.approve(world.admin_a, prompt_id),
            world.commands.reject(other, prompt_id, "no"),
        )

        decided = [r for r in replies if not r.refused]
        assert len(decided) == 1, [r.text for r in replies]
        assert sum(r.direct_message is not None for r in replies) == 1
        status = (await world.commands.service.get_prompt(prompt_id)).status
        approved = decided[0].text.startswith("Approved")
        assert status is (PromptStatus.ACTIVE if approved else PromptStatus.REJECTED)


async def test_change_status_is_scoped_and_conditional(store: UnitOfWorkFactory) -> None:
    world = await build_world(store)
    caller = await world.commands.access.caller(world.admin_a)
    pending = await world.commands.access.pending(caller)
    mine, theirs = pending[0].id, world.b_prompt_ids[0]
    async with store() as u:
        assert not await u.prompts.change_status(
            theirs, caller.community.id, PromptStatus.PENDING, PromptStatus.ACTIVE
        )
        assert await u.prompts.change_status(
            mine, caller.community.id, PromptStatus.PENDING, PromptStatus.ACTIVE
        )
        assert not await u.prompts.change_status(
            mine, caller.community.id, PromptStatus.PENDING, PromptStatus.REJECTED
        )
        await u.commit()
    assert (await world.commands.service.get_prompt(mine)).status is PromptStatus.ACTIVE
    assert (await world.commands.service.get_prompt(theirs)).status is PromptStatus.PENDING
