"""The discord.py client: gateway events in, app commands and persistent buttons registered once."""

from __future__ import annotations

import logging
from typing import Any, cast

import discord
from discord import app_commands

from adapters.discord.bridge import Bridge
from adapters.discord.commands import TigerbirdGroup
from adapters.discord.translate import message_events, reaction_event
from adapters.discord.views import ApproveButton, RejectButton

log = logging.getLogger(__name__)


def tigerbird_intents() -> discord.Intents:
    """Only non-privileged intents: replies and audience need authors, never message text."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.guild_reactions = True
    return intents


class TigerbirdEvents:
    """Handlers shared by the single-connection and the sharded client."""

    bridge: Bridge
    tree: app_commands.CommandTree[Any]
    user: discord.ClientUser | None

    async def setup_hook(self) -> None:
        """Runs once per login, not per gateway (re)connect: register and sync commands."""
        cast(discord.Client, self).add_dynamic_items(ApproveButton, RejectButton)
        self.tree.add_command(TigerbirdGroup())
        await self.tree.sync()

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self._reaction(payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self._reaction(payload)

    async def _reaction(self, payload: discord.RawReactionActionEvent) -> None:
        if self.user is None:
            return
        event = reaction_event(payload, self.user.id)
        if event is not None:
            await self.bridge.app.handle_event(event)

    async def on_message(self, message: discord.Message) -> None:
        if self.user is None:
            return
        for event in message_events(message, self.user.id):
            await self.bridge.app.handle_event(event)


class TigerbirdClient(TigerbirdEvents, discord.Client):
    """One gateway connection (no sharding settings)."""

    def __init__(self, guild_ready_timeout: float = 2.0) -> None:
        super().__init__(intents=tigerbird_intents(), guild_ready_timeout=guild_ready_timeout)
        self.tree = app_commands.CommandTree(self)


class ShardedTigerbirdClient(TigerbirdEvents, discord.AutoShardedClient):
    """Connects only `shard_ids` of `shard_count`; Discord routes guild g to shard
    (g >> 22) % shard_count, so each process receives only its guilds' events."""

    def __init__(
        self, shard_count: int, shard_ids: list[int] | None, guild_ready_timeout: float = 2.0
    ) -> None:
        intents = tigerbird_intents()
        if shard_ids is None:  # this process connects every shard
            super().__init__(
                intents=intents, shard_count=shard_count, guild_ready_timeout=guild_ready_timeout
            )
        else:
            super().__init__(
                intents=intents,
                shard_count=shard_count,
                shard_ids=shard_ids,
                guild_ready_timeout=guild_ready_timeout,
            )
        self.tree = app_commands.CommandTree(self)
