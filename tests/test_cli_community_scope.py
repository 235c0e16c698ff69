"""`tigerbird schedule pause|resume|skip|remove|preview|suggest-time ID --community platform:id`
acts only within that community (the same bot.core.authz check as chat): another community's
schedule reads exactly like a missing one and is left as it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli.main import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def add(community: str, channel: str) -> int:
    args = ["schedule", "add", "--platform", "slack", "--community", community]
    result = runner.invoke(app, [*args, "--channel", channel, "--at", "09:00"])
    assert result.exit_code == 0, result.output
    found = re.search(r"schedule (\d+):", result.output)
    assert found is not None
    return int(found.group(1))


@pytest.mark.parametrize("action", ["pause", "resume", "skip", "remove", "preview", "suggest-time"])
def test_another_communitys_schedule_reads_as_missing(db: Path, action: str) -> None:
    add("T1", "C1")
    theirs = add("T2", "C2")
    before = runner.invoke(app, ["schedule", "list"]).output

    refused = runner.invoke(app, ["schedule", action, str(theirs), "--community", "slack:T1"])
    missing = runner.invoke(app, ["schedule", action, "4242", "--community", "slack:T1"])

    assert refused.exit_code == missing.exit_code == 2
    assert refused.output.replace(str(theirs), "<id>") == missing.output.replace("4242", "<id>")
    assert "no schedule with id <id>" in refused.output.replace(str(theirs), "<id>")
    assert runner.invoke(app, ["schedule", "list"]).output == before


def test_own_schedule_and_bad_scope(db: Path) -> None:
    own = add("T1", "C1")
    paused = runner.invoke(app, ["schedule", "pause", str(own), "--community", "slack:T1"])
    assert paused.exit_code == 0 and "paused" in paused.output
    bad = runner.invoke(app, ["schedule", "pause", str(own), "--community", "T1"])
    assert bad.exit_code == 2 and "--community: 'T1' must be platform:id" in bad.output
    unknown = runner.invoke(app, ["schedule", "pause", str(own), "--community", "slack:T9"])
    assert unknown.exit_code == 2 and "no slack community 'T9'" in unknown.output
    assert "Traceback" not in bad.output + unknown.output
