"""Where discord.py's REST and gateway traffic goes (DISCORD_API_URL, DISCORD_GATEWAY_URL).

discord.py keeps both as class attributes, so this applies to every client in the process.
"""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"


def point_at(api_url: str | None, gateway_url: str | None) -> None:
    """Use these base URLs (None: Discord's own). The API URL includes the version, /api/v10."""
    Route.BASE = (api_url or DEFAULT_API_URL).rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url or DEFAULT_GATEWAY_URL)


def use_gateway(url: str) -> None:
    """Connect to the gateway Discord named in GET /gateway/bot."""
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


def current() -> tuple[str, str]:
    return Route.BASE, str(DiscordWebSocket.DEFAULT_GATEWAY)
