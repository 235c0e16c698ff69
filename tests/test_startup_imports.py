"""`tigerbird run` on the console (or Slack) never loads discord.py, and at start-up Alembic
is loaded only to migrate: the CLI and the composition root import neither."""

from __future__ import annotations

import subprocess
import sys

from tests.scale.workers import ROOT

HEAVY = ("discord", "slack_bolt", "alembic", "matplotlib")


def test_the_cli_and_the_composition_root_load_no_platform_sdk_nor_alembic() -> None:
    probe = "import sys, bot.app.cli.main, bot.app.bootstrap; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "bot.app.bootstrap" in loaded
    assert [m for m in HEAVY if m in loaded] == []


def test_the_discord_invite_command_is_still_mounted() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "bot.app.cli.main", "discord", "invite-url", "--client-id", "42"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "client_id=42" in shown.stdout
