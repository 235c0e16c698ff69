"""The dashboard's library use cases: browse and search with records, add, edit, retire,
import with file:line errors, export; suggestions approved and rejected with the reason sent.
Scoped to the caller's community and audited; on the memory store, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from bot.core.authz import Access, Caller
from bot.core.domain import PlatformName, PromptDraft, PromptSource, PromptStatus
from bot.core.invocations import CommandError, Invocation
from bot.core.ports import UnitOfWorkFactory
from bot.service_layer.dashboard import Management, build_management
from bot.testing.platform import FrozenClock
from tests.conftest import START
from tests.helpers import make_service

SHARED = [
    PromptDraft("shared/1", "Would you rather be a tiger or a bluebird for a day?", "this-or-that"),
    PromptDraft("shared/2", "What is the best sound in the morning?", "small-joys"),
]
Sent = list[tuple[PlatformName, str, str, str]]


def _inv(community: str, member: str, admin: bool = True) -> Invocation:
    return Invocation(PlatformName.SLACK, community, "C0", member, member_is_admin=admin)


async def _setup(store: UnitOfWorkFactory) -> tuple[Management, Caller, Caller, Sent]:
    service, _ = make_service(store, FrozenClock(START))
    await service.add_prompts(SHARED)
    sent: Sent = []

    async def messenger(platform: PlatformName, community: str, member: str, text: str) -> bool:
        sent.append((platform, community, member, text))
        return True

    access = Access(store)
    manage = build_management(service, access, messenger)
    return (
        manage,
        await access.caller(_inv("T1", "U1")),
        await access.caller(_inv("T2", "U9")),
        sent,
    )


async def test_add_edit_retire_and_browse(store: UnitOfWorkFactory) -> None:
    manage, acme, other, _ = await _setup(store)
    prompt, _ = await manage.library.add(
        acme, "Which song do you <b>hum</b> most often?", "small-joys"
    )
    with pytest.raises(CommandError, match="too close"):
        await manage.library.add(acme, "Which song do you hum most often?", "small-joys")
    with pytest.raises(CommandError, match="category: 'nope' is unknown"):
        await manage.library.add(acme, "Another fine question for all?", "nope")
    page = await manage.library.browse(acme)
    assert page.total == 3 and [r.own for r in page.rows] == [False, False, True]
    assert (await manage.library.browse(other)).total == 2  # not acme's own prompt
    assert [r.prompt.id for r in (await manage.library.browse(acme, text="HUM")).rows] == [
        prompt.id
    ]
    assert (await manage.library.browse(acme, category="this-or-that")).total == 1
    edited = await manage.library.edit(
        acme, prompt.id, "Which tune gets stuck in your head?", "small-joys"
    )
    assert edited.text == "Which tune gets stuck in your head?"
    await manage.library.set_retired(acme, prompt.id, True)
    assert (await manage.library.browse(acme)).total == 2
    assert (await manage.library.browse(acme, status="retired")).total == 1
    shared = page.rows[0].prompt.id
    with pytest.raises(CommandError, match="shared prompt"):
        await manage.library.set_retired(acme, shared, True)
    for act in (
        manage.library.set_retired(other, prompt.id, False),
        manage.library.edit(other, prompt.id, "Is this yours?", "small-joys"),
    ):
        with pytest.raises(CommandError, match=f"no prompt with id {prompt.id}$"):
            await act
    actions = [e.action for e in (await manage.audit.page(acme)).entries]
    assert actions == ["prompt.retire", "prompt.edit", "prompt.add"]


async def test_import_refuses_a_file_with_errors_naming_file_and_line(
    store: UnitOfWorkFactory,
) -> None:
    manage, acme, _, _ = await _setup(store)
    bad = (
        b"text,category,tags\n"
        b"A perfectly fine question for everyone?,small-joys,\n"
        b",small-joys,\n"
        b"What is it?,nope,\n"
    )
    outcome = await manage.transfer.import_file(acme, "../../etc/prompts.csv", bad)
    assert outcome.added == [] and outcome.errors
    assert all(e.startswith("prompts.csv:") for e in outcome.errors)
    assert any(e.startswith("prompts.csv:4:") for e in outcome.errors)
    assert (await manage.library.browse(acme)).total == 2  # nothing stored
    with pytest.raises(CommandError, match="must end in"):
        await manage.transfer.import_file(acme, "prompts.exe", b"")


async def test_import_pack_then_export(store: UnitOfWorkFactory) -> None:
    manage, acme, other, _ = await _setup(store)
    pack = b"""pack:
  id: team
  name: Team
  description: Team questions
  language: en
  license: CC-BY-4.0
prompts:
  - id: q1
    text: What was the kindest thing a colleague did this month?
    category: team-community
  - id: q2
    text: Which meeting would you happily turn into an email?
    category: team-community
"""
    outcome = await manage.transfer.import_file(acme, "team.yaml", pack)
    assert outcome.errors == [] and len(outcome.added) == 2
    assert {p.community_id for p in outcome.added} == {acme.community.id}
    again = await manage.transfer.import_file(acme, "team.yaml", pack)
    assert again.unchanged == 2 and again.added == []
    assert (await manage.library.browse(other)).total == 2  # the import is acme's own
    rows = list(csv.reader(io.StringIO(await manage.transfer.export(acme, "csv"))))
    assert rows[0] == ["text", "category", "tags", "variants"] and len(rows) == 5
    exported = yaml.safe_load(await manage.transfer.export(acme, "yaml"))
    assert len(exported["prompts"]) == 4
    with pytest.raises(CommandError, match="format: 'xml'"):
        await manage.transfer.export(acme, "xml")
    audit = (await manage.audit.page(acme)).entries
    assert [e.detail for e in audit][:1] == ["team.yaml: 0 added, 0 updated, 2 left as they were"]


async def test_review_queue_approve_and_reject_tell_the_member(store: UnitOfWorkFactory) -> None:
    manage, acme, other, sent = await _setup(store)
    async with store() as u:
        near = await u.prompts.add(
            PromptDraft(
                "s/1", "Would you rather be a tiger or a bluebird for one day?", "this-or-that"
            ),
            PromptSource.SUGGESTED,
            PromptStatus.PENDING,
            acme.community.id,
            "U5",
        )
        fresh = await u.prompts.add(
            PromptDraft("s/2", "What did you learn from a failure?", "team-community"),
            PromptSource.SUGGESTED,
            PromptStatus.PENDING,
            acme.community.id,
            "U6",
        )
        await u.commit()
    queue = await manage.suggestions.queue(acme)
    assert [s.prompt.id for s in queue] == [near.id, fresh.id]
    assert queue[0].near is not None and queue[0].near.second_key == "shared/1"
    assert queue[1].near is None
    assert await manage.suggestions.queue(other) == []
    with pytest.raises(CommandError, match=f"no prompt with id {near.id}$"):
        await manage.suggestions.approve(other, near.id)
    decided = await manage.suggestions.reject(acme, near.id, "too close to <@here> one we have")
    assert decided.member_told and decided.prompt.status is PromptStatus.REJECTED
    assert (await manage.suggestions.approve(acme, fresh.id)).member_told
    assert [(m, "too close to" in t) for _, _, m, t in sent] == [("U5", True), ("U6", False)]
    assert "<@here>" not in sent[0][3]
    with pytest.raises(CommandError, match="not waiting for review"):
        await manage.suggestions.approve(acme, near.id)
    assert (await manage.library.browse(acme, text="failure")).total == 1
    actions = [e.action for e in (await manage.audit.page(acme)).entries]
    assert actions == ["suggestion.approve", "suggestion.reject"]
