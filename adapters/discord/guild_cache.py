"""The bot's view of a channel's permissions from discord.py's gateway cache.

With the guilds intent discord.py keeps every guild's roles, channels (with their overwrites)
and the bot's own member, and updates them from GUILD_/CHANNEL_/ROLE_ events and from
GUILD_MEMBER_UPDATE for the bot itself (sent without the members intent). A pre-flight read
from there costs no request; only a guild or channel the cache lacks is asked over REST.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord


@dataclass(frozen=True)
class ChannelView:
    """What the permission maths needs, in the shape of Discord's REST payloads."""

    owner_id: int
    roles: list[dict[str, Any]]
    member_role_ids: list[int]
    overwrites: list[dict[str, Any]]
    channel_name: str


def cached_channel_view(
    client: discord.Client, guild_id: int, channel_id: int
) -> ChannelView | None:
    """The channel as the gateway cache holds it now; None when the cache cannot answer
    (no gateway, not ready yet, another shard's guild, an unavailable guild, a channel or
    own member it has not seen)."""
    if client.user is None or not client.is_ready():
        return None
    guild = client.get_guild(guild_id)
    if guild is None or guild.unavailable or guild.owner_id is None:
        return None
    me = guild.get_member(client.user.id)
    channel = guild.get_channel(channel_id)
    if me is None or channel is None:
        return None
    roles = [
        {
            "id": str(role.id),
            "name": role.name,
            "permissions": str(role.permissions.value),
            "mentionable": role.mentionable,
        }
        for role in guild.roles
    ]
    overwrites: list[dict[str, Any]] = []
    for target, overwrite in channel.overwrites.items():
        allow, deny = overwrite.pair()
        overwrites.append(
            {"id": str(target.id), "allow": str(allow.value), "deny": str(deny.value)}
        )
    return ChannelView(
        owner_id=guild.owner_id,
        roles=roles,
        member_role_ids=[role.id for role in me.roles],
        overwrites=overwrites,
        channel_name=channel.name,
    )


def cached_owner(client: discord.Client, guild_id: int) -> int | None:
    """The guild's owner as the gateway cache holds it (GUILD_UPDATE keeps it current)."""
    if not client.is_ready():
        return None
    guild = client.get_guild(guild_id)
    return None if guild is None or guild.unavailable else guild.owner_id
