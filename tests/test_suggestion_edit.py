"""Suggestions members can fix: the suggester edits their own while it waits, a manager edits
before approving (chat and the dashboard's review service), anonymous suggestions hide the
suggester from reviewers but still reach them; across two tenants, on every store."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.commands import ChatCommands
from bot.core.authz import Caller
from bot.core.domain import PlatformName, PromptStatus
from bot.core.invocations import Invocation
from bot.core.library_health import LibraryHealthSettings
from bot.core.ports import UnitOfWorkFactory
from bot.service_layer.audit_trail import AuditTrail
from bot.service_layer.manage_suggestions import SuggestionReview
from bot.testing.platform import FrozenClock
from tests.helpers import make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _inv(member: str, admin: bool = False, community: str = "T1") -> Invocation:
    return Invocation(PlatformName.SLACK, community, "C1", member, admin)


def _commands(store: UnitOfWorkFactory) -> ChatCommands:
    service, _ = make_service(store, FrozenClock(MONDAY_8))
    return ChatCommands(service, "UTC")


async def _suggest(commands: ChatCommands, member: str = "U5", community: str = "T1") -> int:
    reply = await commands.run(
        _inv(member, community=community), "suggest Which smell takes you back? #nostalgia"
    )
    assert reply.review is not None, reply.text
    return reply.review.prompt_id


async def test_the_suggester_edits_their_own_waiting_suggestion(store: UnitOfWorkFactory) -> None:
    commands = _commands(store)
    prompt_id = await _suggest(commands)
    reply = await commands.run(
        _inv("U5"), f"suggest edit {prompt_id} Which sound takes you back to childhood? #food"
    )
    assert not reply.refused, reply.text
    assert "now reads: “Which sound takes you back to childhood?” [food]" in reply.text
    prompt = await commands.service.get_prompt(prompt_id)
    assert (prompt.text, prompt.category) == ("Which sound takes you back to childhood?", "food")
    assert prompt.status is PromptStatus.PENDING and prompt.suggested_by == "U5"


async def test_others_cannot_edit_and_nothing_changes(store: UnitOfWorkFactory) -> None:
    commands = _commands(store)
    prompt_id = await _suggest(commands)
    await _suggest(commands, "U9", community="T2")  # T2 exists too
    for inv in (_inv("U6"), _inv("U5", community="T2"), _inv("U7", admin=True, community="T2")):
        reply = await commands.run(inv, f"suggest edit {prompt_id} Something else entirely?")
        assert reply.refused
        assert f"no suggestion #{prompt_id} of yours is waiting for review" in reply.text
    missing = await commands.run(_inv("U5"), "suggest edit 999999 Something else entirely?")
    assert missing.text == "no suggestion #999999 of yours is waiting for review"
    prompt = await commands.service.get_prompt(prompt_id)
    assert prompt.text == "Which smell takes you back?"


async def test_an_edit_is_linted_like_a_new_suggestion(store: UnitOfWorkFactory) -> None:
    commands = _commands(store)
    prompt_id = await _suggest(commands)
    reply = await commands.run(_inv("U5"), f"suggest edit {prompt_id} Buy our new feature today!")
    assert reply.refused and reply.text.startswith("That prompt can't be used")
    bad = await commands.run(_inv("U5"), f"suggest edit {prompt_id} What is it? #snacks")
    assert bad.refused and "category: 'snacks' is unknown" in bad.text
    assert (await commands.service.get_prompt(prompt_id)).text == "Which smell takes you back?"


async def test_a_decided_suggestion_can_no_longer_be_edited(store: UnitOfWorkFactory) -> None:
    commands = _commands(store)
    prompt_id = await _suggest(commands)
    assert not (await commands.run(_inv("A1", admin=True), f"approve {prompt_id}")).refused
    reply = await commands.run(_inv("U5"), f"suggest edit {prompt_id} Which taste is home?")
    assert reply.refused and "already decided" in reply.text
    assert (await commands.service.get_prompt(prompt_id)).status is PromptStatus.ACTIVE


async def test_a_manager_edits_before_approving_members_cannot(store: UnitOfWorkFactory) -> None:
    commands = _commands(store)
    prompt_id = await _suggest(commands)
    refused = await commands.run(_inv("U5"), f"edit {prompt_id} Which taste is home?")
    assert refused.refused and refused.text.startswith("Only the community's managers")
    edited = await commands.run(_inv("A1", admin=True), f"edit {prompt_id} Which taste is home?")
    assert not edited.refused, edited.text
    approved = await commands.run(_inv("A1", admin=True), f"approve {prompt_id}")
    assert "Which taste is home?" in approved.text
    assert approved.direct_message is not None and approved.direct_message[0] == "U5"


async def test_dashboard_review_edits_within_the_community_and_audits(
    store: UnitOfWorkFactory,
) -> None:
    commands = _commands(store)
    prompt_id = await _suggest(commands)
    service = commands.service
    access = service.access()
    review = SuggestionReview(store, access, AuditTrail(store, service.clock, access))
    mine = await access.caller(_inv("A1", admin=True))
    other = await access.caller(_inv("A2", admin=True, community="T2"))
    edited = await review.edit(mine, prompt_id, "Which song takes you back?", "books-films-music")
    assert (edited.text, edited.category) == ("Which song takes you back?", "books-films-music")
    try:
        await review.edit(other, prompt_id, "Hijacked text here?")
    except Exception as error:
        assert f"no suggestion #{prompt_id}" in str(error)
    else:
        raise AssertionError("another community's manager edited the suggestion")
    page = await service.audit_trail(access).page(mine)
    assert any(e.action == "suggestion.edit" for e in page.entries)


async def test_anonymous_suggestions_hide_the_suggester_but_still_reach_them(
    store: UnitOfWorkFactory,
) -> None:
    commands = _commands(store)
    switched = await commands.run(_inv("A1", admin=True), "settings anonymous-suggestions on")
    assert switched.text == "anonymous-suggestions set to on."
    reply = await commands.run(_inv("U5"), "suggest Which smell takes you back? #nostalgia")
    assert reply.review is not None and reply.review.suggested_by == ""
    service = commands.service
    access = service.access()
    review = SuggestionReview(store, access, AuditTrail(store, service.clock, access))
    caller: Caller = await access.caller(_inv("A1", admin=True))
    [waiting] = await review.queue(caller)
    assert waiting.prompt.suggested_by is None
    rejected = await commands.run(_inv("A1", admin=True), f"reject {reply.review.prompt_id} old")
    assert rejected.direct_message is not None and rejected.direct_message[0] == "U5"
    # the other tenant's setting is its own
    assert not (await service.health_settings(2)).anonymous_suggestions
    assert await service.health_settings(caller.community.id) == LibraryHealthSettings(
        anonymous_suggestions=True
    )


async def test_health_settings_refuse_bad_values(store: UnitOfWorkFactory) -> None:
    commands = _commands(store)
    admin = _inv("A1", admin=True)
    for text, expected in [
        (
            "settings recycle sometimes",
            "recycle: 'sometimes' must be one of always, when-empty, off",
        ),
        ("settings recycle-after 0", "recycle-after: '0' must be a number of days 1..3650"),
        (
            "settings anonymous-suggestions maybe",
            "anonymous-suggestions: 'maybe' must be on or off",
        ),
    ]:
        reply = await commands.run(admin, text)
        assert reply.refused and reply.text == expected, reply.text
    member = await commands.run(_inv("U5"), "settings recycle always")
    assert member.refused
    ok = await commands.run(admin, "settings recycle always")
    assert ok.text == "recycle set to always."
    after = await commands.run(admin, "settings recycle-after 90")
    assert after.text == "recycle-after set to 90."
