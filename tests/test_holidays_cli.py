"""`tigerbird schedule add --holidays … --on-holiday …`, `schedule holiday-codes` and
`schedule suggest-time`: clear one-line errors naming the flag, nothing stored on a bad code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli.main import app

runner = CliRunner()
ADD = ["schedule", "add", "--platform", "slack", "--community", "T1", "--channel", "C1"]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_bad_codes_and_choices_name_the_flag(db: Path) -> None:
    for extra, expected in [
        (["--holidays", "US,XX"], "--holidays: 'XX' is not a country with a holiday calendar"),
        (["--holidays", "DE-XX"], "--holidays: 'DE-XX': DE has no subdivision 'XX'"),
        (["--holidays", "US", "--on-holiday", "never"], "--on-holiday: 'never' is not allowed"),
        (["--holidays", "US", "--on-holiday", "category:snacks"], "'category:snacks' is not a"),
        (["--on-holiday", "category:food"], "--on-holiday: a holiday category needs holiday"),
    ]:
        result = runner.invoke(app, [*ADD, *extra])
        assert result.exit_code == 2 and expected in result.output, (extra, result.output)
        assert "Traceback" not in result.output
    assert "C1" not in runner.invoke(app, ["schedule", "list"]).output


def test_add_with_holidays_then_suggest_time(db: Path) -> None:
    added = runner.invoke(app, [*ADD, "--holidays", "us,ca", "--on-holiday", "category:small-joys"])
    assert added.exit_code == 0, added.output
    assert "holidays US,CA (category:small-joys)" in added.output
    found = re.search(r"schedule (\d+):", added.output)
    assert found is not None
    suggestion = runner.invoke(app, ["schedule", "suggest-time", found.group(1)])
    assert suggestion.exit_code == 0 and "Not enough activity yet" in suggestion.output
    missing = runner.invoke(app, ["schedule", "suggest-time", "4242"])
    assert missing.exit_code == 2 and "no schedule with id 4242" in missing.output


def test_holiday_codes_list_countries_and_subdivisions() -> None:
    countries = runner.invoke(app, ["schedule", "holiday-codes"])
    assert countries.exit_code == 0 and {"US", "DE", "GB"} <= set(countries.output.split())
    german = runner.invoke(app, ["schedule", "holiday-codes", "de"])
    assert german.exit_code == 0 and "DE-BY" in german.output.split()
    unknown = runner.invoke(app, ["schedule", "holiday-codes", "ZZ"])
    assert unknown.exit_code == 2 and "'ZZ' is not a country" in unknown.output
