"""`tigerbird discord invite-url`: the OAuth2 link that adds the bot with exactly the
permissions its features need."""

from __future__ import annotations

import base64
import binascii
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


def print_invite_url(
    client_id: Annotated[
        str | None,
        typer.Option(help="Application ID (Developer Portal → General Information)."),
    ] = None,
) -> None:
    """Print the link that invites Tigerbird to a Discord server."""
    if client_id is None:
        from bot.app.settings import Settings

        token = Settings().discord_token
        client_id = client_id_from_token(token.get_secret_value()) if token else None
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


def register(app: typer.Typer) -> None:
    """Mount `discord invite-url` on the tigerbird CLI."""
    discord_app = typer.Typer(help="Discord set-up helpers.", no_args_is_help=True)
    discord_app.command("invite-url")(print_invite_url)
    app.add_typer(discord_app, name="discord")
