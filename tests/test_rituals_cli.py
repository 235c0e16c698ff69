"""`tigerbird rituals SCHEDULE_ID`: show and switch a channel's member rituals."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.app.cli.main import app
from tests.test_analytics_cli import db  # noqa: F401  (the seeded SQLite CLI fixture)

runner = CliRunner()


def test_rituals_shows_and_switches_a_channels_rituals(db: str) -> None:  # noqa: F811
    shown = runner.invoke(app, ["rituals", "1"])
    assert shown.exit_code == 0, shown.output
    assert "streaks on · regulars off · best-answer off" in shown.output
    changed = runner.invoke(app, ["rituals", "1", "--regulars", "on", "--streaks", "off"])
    assert changed.exit_code == 0, changed.output
    assert "streaks off · regulars on · best-answer off" in changed.output
    again = runner.invoke(app, ["rituals", "1"])
    assert "streaks off · regulars on · best-answer off" in again.output

    bad = runner.invoke(app, ["rituals", "1", "--best-answer", "maybe"])
    assert bad.exit_code == 2 and "--best-answer: 'maybe' must be on or off" in bad.output
    missing = runner.invoke(app, ["rituals", "999", "--regulars", "off"])
    assert missing.exit_code == 2 and "no schedule with id 999" in missing.output
    elsewhere = runner.invoke(app, ["rituals", "1", "--community", "slack:T404"])
    assert elsewhere.exit_code == 2
