"""Importing with --update and syncing the packs folder, on every store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from bot.app.bootstrap import Core, sync_packs
from bot.app.settings import Settings
from bot.chat.commands import ChatCommands
from bot.core.domain import PromptDraft, PromptSource, PromptStatus
from bot.core.ports import UnitOfWorkFactory
from bot.engagement.members import MemberKeys
from bot.learning.loop import LearningLoop
from bot.learning.selection import UniformPolicy
from bot.library import PackLoadError, PromptsDirError
from bot.library.importer import Left, import_drafts
from bot.testing.platform import FrozenClock
from tests.helpers import make_service

HEAD = "pack: {id: good, name: Good, description: D, language: en, license: CC0-1.0}\n"
SMILE = '  - {id: smile, text: "What made you smile today?", category: small-joys}\n'


async def test_import_adds_new_keys_and_updates_only_when_asked(store: UnitOfWorkFactory) -> None:
    tea = PromptDraft("mine/tea", "Which tea suits a rainy day?", "food", ("tea",))
    smile = PromptDraft("mine/smile", "What made you smile?", "small-joys")
    first = await import_drafts(store, [tea, smile])
    assert (len(first.added), first.updated, first.left) == (2, [], [])
    snowy = PromptDraft("mine/tea", "Which tea suits a snowy day?", "food", ("tea", "snow"))

    kept = await import_drafts(store, [snowy, smile])

    assert [(d.key, reason) for d, _, reason in kept.left] == [
        ("mine/tea", Left.OTHER),
        ("mine/smile", Left.SAME),
    ]
    async with store() as u:
        stored = await u.prompts.by_key("mine/tea")
    assert stored is not None and stored.text == "Which tea suits a rainy day?"

    updated = await import_drafts(store, [snowy], update=True)

    assert [d.key for d in updated.updated] == ["mine/tea"]
    async with store() as u:
        fresh = await u.prompts.by_key("mine/tea")
        everything = await u.prompts.all(status=None)
    assert fresh is not None and fresh.id == stored.id
    assert (fresh.text, fresh.tags, fresh.source) == (snowy.text, snowy.tags, PromptSource.CUSTOM)
    assert len(everything) == 2


async def test_update_never_rewrites_a_built_in_prompt(store: UnitOfWorkFactory) -> None:
    service, _ = make_service(store, FrozenClock(datetime(2026, 3, 2, tzinfo=UTC)))
    await service.sync_library([PromptDraft("good/smile", "What made you smile?", "small-joys")])

    result = await import_drafts(
        store, [PromptDraft("good/smile", "Who made you laugh?", "small-joys")], update=True
    )

    assert [reason for _, _, reason in result.left] == [Left.BUILTIN]
    async with store() as u:
        stored = await u.prompts.by_key("good/smile")
    assert stored is not None and stored.text == "What made you smile?"


@pytest.mark.parametrize("problem", ["missing", "file", "empty", "bad", "clash"])
async def test_a_bad_packs_folder_stores_and_retires_nothing(
    store: UnitOfWorkFactory, tmp_path: Path, problem: str
) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, tzinfo=UTC))
    service, _ = make_service(store, clock)
    good = tmp_path / "good"
    good.mkdir()
    (good / "good.yaml").write_text(HEAD + "prompts:\n" + SMILE)
    policy = UniformPolicy(np.random.default_rng(1))
    core = Core(
        service, ChatCommands(service), LearningLoop(store, policy, clock), store, MemberKeys(b"k")
    )
    await sync_packs(core, Settings(_env_file=None, TIGERBIRD_PROMPTS_DIR=good))
    folder = tmp_path / problem
    if problem == "file":
        folder.write_text(HEAD + "prompts:\n" + SMILE)
    elif problem != "missing":
        folder.mkdir()
    if problem == "bad":
        (folder / "good.yaml").write_text(HEAD + "prompts:\n" + SMILE.replace("?", ""))
    if problem == "clash":
        (folder / "a.yaml").write_text(HEAD + "prompts:\n" + SMILE)
        (folder / "b.yaml").write_text(HEAD + "prompts:\n" + SMILE.replace("smile", "grin"))
    settings = Settings(_env_file=None, TIGERBIRD_PROMPTS_DIR=folder)

    with pytest.raises((PromptsDirError, PackLoadError)) as caught:
        await sync_packs(core, settings)

    message = caught.value.one_line()
    expected = {
        "missing": f"TIGERBIRD_PROMPTS_DIR: {folder} does not exist",
        "file": f"TIGERBIRD_PROMPTS_DIR: {folder} is a file, not a folder",
        "empty": f"TIGERBIRD_PROMPTS_DIR: {folder} holds no .yaml or .yml pack",
        "bad": f"{folder / 'good.yaml'}:3: text: not an invitation to answer",
        "clash": f"{folder / 'b.yaml'}:1: pack.id: 'good' also used by {folder / 'a.yaml'}:1",
    }[problem]
    assert message.startswith(expected)
    assert "\n" not in message
    async with store() as u:
        prompts = await u.prompts.all(status=None)
    assert [(p.key, p.status) for p in prompts] == [("good/smile", PromptStatus.ACTIVE)]
