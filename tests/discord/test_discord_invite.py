"""`tigerbird discord invite-url` and the permission integer it asks for."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
import typer
from typer.testing import CliRunner

from adapters.discord.invite import client_id_from_token, invite_url, register

EXPECTED_BITS = {
    "Add Reactions": 1 << 6,
    "View Channel": 1 << 10,
    "Send Messages": 1 << 11,
    "Embed Links": 1 << 14,
    "Read Message History": 1 << 16,
    "Create Public Threads": 1 << 35,
    "Send Messages in Threads": 1 << 38,
    "Pin Messages": 1 << 51,
}


def test_invite_url_has_both_scopes_and_exactly_the_needed_permissions() -> None:
    query = parse_qs(urlsplit(invite_url("123456789012345678")).query)
    assert query["scope"] == ["bot applications.commands"]
    assert query["client_id"] == ["123456789012345678"]
    assert int(query["permissions"][0]) == sum(EXPECTED_BITS.values())


def test_the_cli_prints_the_url_and_derives_the_id_from_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # typer needs two commands to keep the sub-app name
    head = base64.b64encode(b"987654321098765432").decode().rstrip("=")
    monkeypatch.setenv("DISCORD_TOKEN", f"{head}.abc.def")

    result = CliRunner().invoke(app, ["discord", "invite-url"])

    assert result.exit_code == 0, result.output
    assert "client_id=987654321098765432" in result.stdout
    assert f"permissions={sum(EXPECTED_BITS.values())}" in result.stdout


def test_a_token_that_is_not_a_bot_token_yields_no_id() -> None:
    assert client_id_from_token("not-a-token") is None
