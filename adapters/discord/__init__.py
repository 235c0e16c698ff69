"""Tigerbird on Discord: `build(settings, app, commands)` returns the adapter the application
starts (bot.app.chat_adapters); `settings` is anything shaped like `config.DiscordSettings`."""

from __future__ import annotations

import asyncio
import logging

import discord

from adapters.discord import endpoints
from adapters.discord.bridge import Bridge
from adapters.discord.bucket_sweep import throttle_bucket_sweep
from adapters.discord.client import ShardedTigerbirdClient, TigerbirdClient
from adapters.discord.config import DiscordSettings
from adapters.discord.platform import DiscordPlatform
from adapters.discord.request_pacing import RequestPacing, install_request_pacing
from adapters.discord.standing import DiscordStandings
from adapters.discord.views import review_view
from bot.core.domain import PlatformName
from bot.core.ports import CommandRunner, CoreEntry
from bot.delivery.pacing import WindowLimiter

log = logging.getLogger(__name__)


class DiscordAdapter:
    """The Discord client plus the REST Platform the core posts through."""

    def __init__(
        self,
        client: discord.Client,
        platform: DiscordPlatform,
        settings: DiscordSettings,
        pacing: RequestPacing,
    ) -> None:
        self.client = client
        self.platform = platform
        self.pacing = pacing
        self.standings = DiscordStandings(platform)
        self._settings = settings
        self._connection: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in (syncs commands once), connect the gateway, return once READY."""
        await self.platform.ensure_login()
        if self._settings.discord_gateway_url is None and self._settings.discord_api_url:
            # behind a proxy or in tests: connect where the API says the gateway is
            _, url, _ = await self.client.http.get_bot_gateway()
            endpoints.use_gateway(url)
        self._connection = asyncio.create_task(self.client.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        await asyncio.wait({self._connection, ready}, return_when=asyncio.FIRST_COMPLETED)
        if self._connection.done():
            ready.cancel()
            self._connection.result()  # raises why the gateway refused us
            raise RuntimeError("the Discord gateway connection ended before READY")

    async def stop(self) -> None:
        await self.client.close()
        if self._connection is not None:
            await asyncio.gather(self._connection, return_exceptions=True)


def build(
    settings: DiscordSettings,
    app: CoreEntry,
    commands: CommandRunner,
    *,
    guild_ready_timeout: float = 2.0,
) -> DiscordAdapter:
    """Wire the client, platform and handlers from settings; nothing connects yet.

    `guild_ready_timeout`: how long discord.py waits for more GUILD_CREATEs before READY.
    """
    if settings.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    endpoints.point_at(settings.discord_api_url, settings.discord_gateway_url)
    client: TigerbirdClient | ShardedTigerbirdClient
    if settings.discord_shard_count is not None:
        client = ShardedTigerbirdClient(
            settings.discord_shard_count, settings.discord_shard_ids, guild_ready_timeout
        )
    elif settings.discord_shard_ids:
        raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total number of shards)")
    else:
        client = TigerbirdClient(guild_ready_timeout)
    throttle_bucket_sweep(client.http)
    # No one-second window ever holds more than the rate (Discord may count per second).
    pacing = RequestPacing(WindowLimiter.per_second(settings.discord_request_rate))
    install_request_pacing(client.http, pacing)

    async def community_managers(guild: str) -> tuple[str, ...]:
        found = await app.community(PlatformName.DISCORD, guild)
        return found.manager_ids if found else ()

    platform = DiscordPlatform(
        client, settings.discord_token.get_secret_value(), community_managers, settings.manager_ids
    )
    client.bridge = Bridge(app=app, commands=commands, platform=platform, review_view=review_view)
    return DiscordAdapter(client, platform, settings, pacing)


__all__ = ["DiscordAdapter", "DiscordPlatform", "build"]
