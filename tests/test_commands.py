"""`/tigerbird` commands through the platform-neutral layer both adapters share."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName, PromptStatus
from bot.core.invocations import Invocation
from bot.testing.memory import MemoryStore
from bot.testing.platform import FrozenClock
from tests.helpers import drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _setup() -> tuple[ChatCommands, MemoryStore]:
    store = MemoryStore()
    service, _ = make_service(store, FrozenClock(MONDAY_8))
    return ChatCommands(service, "UTC"), store


def _inv(admin: bool, member: str = "U1", roles: tuple[str, ...] = ()) -> Invocation:
    return Invocation(PlatformName.SLACK, "T1", "C1", member, admin, roles)


async def test_manager_schedules_here_and_members_are_refused() -> None:
    commands, _ = _setup()
    await commands.service.sync_library(drafts(20))
    refused = await commands.run(_inv(False, "U2"), "here 09:00 Europe/Paris mon-fri")
    assert refused.text.startswith("Only the community's managers")
    assert await commands.service.list_schedules() == []
    reply = await commands.run(_inv(True), "here 09:00 Europe/Paris mon-fri")
    assert "09:00 Mon,Tue,Wed,Thu,Fri (Europe/Paris)" in reply.text and not reply.private
    [schedule] = await commands.service.list_schedules()
    again = await commands.run(_inv(True), "here 17:30 Europe/Paris")
    assert "17:30 daily" in again.text
    assert [s.id for s in await commands.service.list_schedules()] == [schedule.id]


async def test_bad_arguments_name_the_field_and_store_nothing() -> None:
    commands, _ = _setup()
    for text, expected in [
        ("here 25:00", "times"),
        ("here 09:00 Europe/Pariss", "timezone"),
        ("here 09:00 UTC mon-fry", "days"),
        ("frobnicate", "Unknown command"),
        ("preview 3", "no schedule yet"),
    ]:
        reply = await commands.run(_inv(True), text)
        assert expected in reply.text, (text, reply.text)
    assert await commands.service.list_schedules() == []
    await commands.run(_inv(True), "here 09:00")
    for text, expected in [
        ("preview 99", "preview: '99' must be a number 1..14"),
        ("settings catch-up sometimes", "catch-up: 'sometimes' must be one of skip, latest, all"),
        ("settings pin maybe", "pin: 'maybe' must be on or off"),
        ("settings categories snacks", "categories: unknown snacks"),
        ("settings colour blue", "settings: unknown 'colour'"),
    ]:
        assert expected in (await commands.run(_inv(True), text)).text


async def test_configured_managers_and_roles_count_as_managers() -> None:
    commands, _ = _setup()
    await commands.run(_inv(True), "here 09:00")
    await commands.run(_inv(True), "settings managers add <@U7>")
    await commands.run(_inv(True), "settings manager-roles add <@&R1>")
    assert "Paused" in (await commands.run(_inv(False, "U7"), "pause")).text
    assert "Resumed" in (await commands.run(_inv(False, "U8", ("R1",)), "resume")).text
    assert "Only" in (await commands.run(_inv(False, "U9", ("R2",)), "pause")).text


async def test_suggest_review_reject_and_approve() -> None:
    commands, _ = _setup()
    await commands.service.sync_library(drafts(20))
    refused = await commands.run(_inv(False, "U5"), "suggest Buy our new feature today!")
    assert "can't be used" in refused.text and refused.review is None
    reply = await commands.run(_inv(False, "U5"), "suggest Which smell takes you back? #nostalgia")
    assert reply.review is not None and reply.review.suggested_by == "U5"
    prompt_id = reply.review.prompt_id
    assert "Only" in (await commands.reject(_inv(False, "U5"), prompt_id, "no")).text
    rejected = await commands.reject(_inv(True), prompt_id, "we asked this last week")
    assert rejected.direct_message == (
        "U5",
        "Your suggestion “Which smell takes you back?” was not taken: we asked this last week",
    )
    assert (await commands.service.get_prompt(prompt_id)).status is PromptStatus.REJECTED
    second = await commands.run(_inv(False, "U6"), "suggest What sound means summer to you?")
    assert second.review is not None
    approved = await commands.approve(_inv(True), second.review.prompt_id)
    assert "joins the library" in approved.text
    assert (
        await commands.service.get_prompt(second.review.prompt_id)
    ).status is PromptStatus.ACTIVE


async def test_add_rejects_mass_mentions_and_near_duplicates() -> None:
    commands, _ = _setup()
    await commands.service.sync_library(drafts(3))
    mention = await commands.run(_inv(True), "add What do you think @everyone?")
    assert "can't be used" in mention.text and "@everyone" not in mention.text
    near = await commands.run(_inv(True), "add What small thing made you smile, number 1?")
    assert "Too close" in near.text
    ok = await commands.run(_inv(True), "add Describe a door you would love to open. #creativity")
    assert ok.text.startswith("Added prompt")
