"""manifest.yaml asks for exactly what the adapter uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from adapters.slack.listeners import COMMAND
from adapters.slack.oauth import BOT_SCOPES


def manifest() -> dict[str, Any]:
    path = Path(__file__).resolve().parents[2] / "manifest.yaml"
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def test_scopes_match_the_oauth_install() -> None:
    assert sorted(manifest()["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def test_events_command_and_interactivity_are_declared() -> None:
    settings = manifest()["settings"]
    events = set(settings["event_subscriptions"]["bot_events"])

    assert {"reaction_added", "reaction_removed", "message.channels", "message.groups"} <= events
    assert settings["interactivity"]["is_enabled"] is True
    assert [c["command"] for c in manifest()["features"]["slash_commands"]] == [COMMAND]
