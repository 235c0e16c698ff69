"""The CLI: clear one-line errors, and a failed import changes nothing stored."""

from __future__ import annotations

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


def _prompt_count() -> int:
    result = runner.invoke(app, ["prompts", "list", "--all"])
    assert result.exit_code == 0, result.output
    return result.output.count("│ custom") + result.output.count("│ builtin")


def test_bad_options_name_the_field_and_allowed_values(db: Path) -> None:
    result = runner.invoke(app, ["schedule", "add", "--platform", "irc", "--channel", "C1"])
    assert result.exit_code == 2 and "--platform: 'irc' is not one of console, slack, discord" in (
        result.output
    )
    result = runner.invoke(
        app, ["schedule", "add", "--platform", "slack", "--channel", "C1", "--days", "mon-fry"]
    )
    assert result.exit_code == 2 and "--days:" in result.output and "mon" in result.output
    assert "Traceback" not in result.output


def test_bad_setting_fails_at_start_with_its_name(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIGERBIRD_TIMEZONE", "Mars/Olympus")
    result = runner.invoke(app, ["schedule", "list"])
    assert result.exit_code == 2
    assert "TIGERBIRD_TIMEZONE: 'Mars/Olympus' is not an IANA timezone" in result.output


def test_failed_import_stores_nothing_and_good_import_stores_all(db: Path) -> None:
    good = db / "good.csv"
    good.write_text(
        "text,category,tags\nWhich smell takes you straight back to childhood?,nostalgia,\n"
        "Describe the best meal you ever ate outdoors.,food,picnic\n"
    )
    bad = db / "bad.csv"
    bad.write_text(
        "text,category,tags\nWhat song never gets old for you?,books-films-music,\n"
        "Buy now and get 50% off our new feature!,food,\n"
    )
    result = runner.invoke(app, ["prompts", "import", str(bad)])
    assert result.exit_code == 2 and "bad.csv:3: text: promotional language" in result.output
    assert _prompt_count() == 0
    result = runner.invoke(app, ["prompts", "import", str(good)])
    assert result.exit_code == 0 and "imported 2 prompt(s)" in result.output
    assert _prompt_count() == 2


def test_schedule_lifecycle(db: Path) -> None:
    result = runner.invoke(
        app,
        [
            "schedule",
            "add",
            "--platform",
            "slack",
            "--community",
            "T1",
            "--channel",
            "C9",
            "--at",
            "09:00,17:30",
            "--tz",
            "Europe/Paris",
            "--days",
            "mon-fri",
        ],
    )
    assert (
        result.exit_code == 0 and "09:00/17:30 Mon,Tue,Wed,Thu,Fri (Europe/Paris)" in result.output
    )
    assert runner.invoke(app, ["schedule", "pause", "1"]).exit_code == 0
    listed = runner.invoke(app, ["schedule", "list"]).output
    assert "paused" in listed and "days left" in listed
    assert runner.invoke(app, ["schedule", "resume", "1"]).exit_code == 0
    preview = runner.invoke(app, ["schedule", "preview", "1", "--count", "3"])
    assert preview.exit_code == 0 and preview.output.count("CET") == 3
    assert "Days left before repeats: " in preview.output
    missing = runner.invoke(app, ["schedule", "skip", "42"])
    assert missing.exit_code == 2 and "no schedule with id 42" in missing.output
