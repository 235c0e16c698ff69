"""`tigerbird prompts wordings ID [--community]` and `tigerbird prompts promote ID WORDING
--community platform:id`: a pack's variants imported, each wording's record shown, and a
promotion that pins the wording for one community only."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.core.domain import PlatformName, PostStatus, PromptDraft, PromptSource, ScheduleSpec
from bot.core.ports import NewSchedule, PickProvenance, UnitOfWorkFactory
from bot.core.wordings import wording_key
from tests.conftest import START
from tests.test_privacy import on_db

runner = CliRunner()
PACK = """\
pack: {id: mine, name: Mine, description: Mine., language: en, license: CC-BY-4.0}
prompts:
  - id: tea
    text: "Which tea do you brew on a grey day?"
    category: food
    variants: ["Grey day: which tea do you brew?"]
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _prompt_id(db: Path) -> int:
    (db / "mine.yaml").write_text(PACK, encoding="utf-8")
    imported = runner.invoke(app, ["prompts", "import", str(db / "mine.yaml")])
    assert imported.exit_code == 0, imported.output
    for community in ("T1", "T2"):
        args = ["schedule", "add", "--platform", "slack", "--community", community]
        added = runner.invoke(app, [*args, "--channel", "C1", "--at", "09:00"])
        assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["prompts", "list"]).output
    found = re.search(r"(\d+) .*Which tea", listed)
    assert found is not None, listed
    return int(found.group(1))


def test_wordings_and_promotion_within_one_community(db: Path) -> None:
    prompt_id = _prompt_id(db)
    shown = runner.invoke(app, ["prompts", "wordings", str(prompt_id)])
    assert shown.exit_code == 0, shown.output
    assert f"Wordings of prompt #{prompt_id} in all communities" in shown.output
    assert "B: “Grey day: which tea do you brew?” — 0× · no closed post yet" in shown.output
    promoted = runner.invoke(
        app, ["prompts", "promote", str(prompt_id), "B", "--community", "slack:T1"]
    )
    assert promoted.exit_code == 0, promoted.output
    assert f"This community now posts wording B of prompt #{prompt_id}" in promoted.output
    here = runner.invoke(app, ["prompts", "wordings", str(prompt_id), "--community", "slack:T1"])
    there = runner.invoke(app, ["prompts", "wordings", str(prompt_id), "--community", "slack:T2"])
    assert "pinned here" in here.output and "pinned here" not in there.output


def test_promotion_errors_are_clear(db: Path) -> None:
    prompt_id = _prompt_id(db)
    unscoped = runner.invoke(app, ["prompts", "promote", str(prompt_id), "B"])
    assert unscoped.exit_code == 2 and "--community: promotion is per community" in unscoped.output
    bad = runner.invoke(app, ["prompts", "promote", str(prompt_id), "E", "--community", "slack:T1"])
    assert bad.exit_code == 2 and "wording: 'E' is not one of A, B" in bad.output
    missing = runner.invoke(app, ["prompts", "wordings", "4242"])
    assert missing.exit_code == 2 and "no prompt with id 4242" in missing.output
    assert "Traceback" not in unscoped.output + bad.output + missing.output


async def _seed_posts(store: UnitOfWorkFactory) -> int:
    """One prompt with a variant, posted four times: A draws 1/10 twice, B 3/10 twice."""
    draft = PromptDraft(
        "mine/tea", "Which tea do you brew on a grey day?", "food",
        variants=("Grey day: which tea do you brew?",),
    )  # fmt: skip
    async with store() as u:
        community = await u.communities.ensure(PlatformName.SLACK, "T1", "Acme")
        schedule = await u.schedules.add(NewSchedule(community.id, "C1", ScheduleSpec()), None)
        prompt = await u.prompts.add(draft, PromptSource.CUSTOM)
        for day, (text, responders) in enumerate(
            [(draft.text, 1), (draft.variants[0], 3), (draft.text, 1), (draft.variants[0], 3)]
        ):
            slot = START + timedelta(days=day)
            provenance = PickProvenance("policy", 1, None, wording_key(text))
            post = await u.posts.claim(
                schedule.id, slot, f"m{day}", prompt.id, None, slot, PostStatus.SENT,
                provenance=provenance,
            )  # fmt: skip
            assert post is not None
            post.posted_at, post.responders, post.audience = slot, responders, 10
            post.outcome_at = slot + timedelta(days=1)
            await u.posts.update(post)
        await u.commit()
    return prompt.id


def test_stats_lists_each_tested_prompts_wordings(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    prompt_id = on_db(sqlite_url, _seed_posts)
    result = runner.invoke(app, ["stats", "--since", "all"])
    assert result.exit_code == 0, result.output
    assert "A/B wordings (all communities" in result.output
    assert f"#{prompt_id}: A 10.0% · B 30.0%. No wording is credibly better yet" in result.output
    shown = runner.invoke(app, ["prompts", "wordings", str(prompt_id)])
    assert "A: “Which tea do you brew on a grey day?” — 2× · 10.0% (90% CI" in shown.output
