"""`tigerbird discord invite-url`: the OAuth2 link that adds the bot with exactly the
permissions its features need."""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

import typer

from adapters.discord.permissions import INVITE_NEEDS, invite_permissions

AUTHORIZE_URL = "https://discord.com/oauth2/authorize"
SCOPES = "bot applications.commands"


def invite_url(client_id: str) -> str:
    """The authorize URL with scopes bot + applications.commands and the permission integer."""
    query = {"client_id": client_id, "scope": SCOPES, "permissions": invite_permissions().value}
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def client_id_from_token(token: str) -> str | None:
    """A bot token's first segment is the base64 of the bot's id (its application id)."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=False).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded if decoded.isdigit() else None


def token_from_environment() -> str | None:
    """DISCORD_TOKEN as the process environment has it (the CLI passes its settings' token)."""
    return os.environ.get("DISCORD_TOKEN") or None


def print_invite_url(
    client_id: str | None, token: Callable[[], str | None] = token_from_environment
) -> None:
    """Print the link that invites Tigerbird to a Discord server; without `client_id`, the
    id is derived from the bot token `token` returns (read only then)."""
    if client_id is None:
        bot_token = token()
        client_id = client_id_from_token(bot_token) if bot_token else None
    if client_id is None or not client_id.isdigit():
        typer.echo(
            "client-id: give --client-id <Application ID>, or set DISCORD_TOKEN to derive it",
            err=True,
        )
        raise typer.Exit(2)
    perms = invite_permissions()
    typer.echo(invite_url(client_id))
    granted = ", ".join(need.label for need in INVITE_NEEDS)
    typer.echo(f"permissions {perms.value}: {granted}", err=True)


def register(app: typer.Typer, token: Callable[[], str | None] = token_from_environment) -> None:
    """Mount `discord invite-url` on a CLI; `token` gives the bot token when no id is given."""
    discord_app = typer.Typer(help="Discord set-up helpers.", no_args_is_help=True)

    @discord_app.command("invite-url")
    def invite(
        client_id: Annotated[
            str | None,
            typer.Option(help="Application ID (Developer Portal → General Information)."),
        ] = None,
    ) -> None:
        """Print the link that invites Tigerbird to a Discord server."""
        print_invite_url(client_id, token)

    app.add_typer(discord_app, name="discord")
