"""What a server's managers change in Server Settings, done in the fake Discord's World and
announced on the gateway as Discord does (the bot's permissions change with them)."""

from __future__ import annotations

from typing import Any

from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_state import APP_ID, FakeChannel, FakeGuild


def set_channel_overwrite(
    fake: FakeDiscord, channel: FakeChannel, target: int, *, allow: int = 0, deny: int = 0
) -> None:
    """Set a role's (or member's) overwrite in a channel; CHANNEL_UPDATE follows."""
    kind = 1 if target == APP_ID else 0
    overwrite = {"id": str(target), "type": kind, "allow": str(allow), "deny": str(deny)}
    channel.overwrites = [o for o in channel.overwrites if o["id"] != str(target)] + [overwrite]
    fake.dispatch(channel.guild_id, "CHANNEL_UPDATE", channel.payload())


def set_role_permissions(
    fake: FakeDiscord, guild: FakeGuild, role_id: int, permissions: int
) -> None:
    """Change a role's permissions; GUILD_ROLE_UPDATE follows."""
    guild.roles[role_id] = {**guild.roles[role_id], "permissions": str(permissions)}
    event: dict[str, Any] = {"guild_id": str(guild.id), "role": guild.roles[role_id]}
    fake.dispatch(guild.id, "GUILD_ROLE_UPDATE", event)


def set_bot_roles(fake: FakeDiscord, guild: FakeGuild, roles: list[int]) -> None:
    """Give the bot's member exactly these roles; GUILD_MEMBER_UPDATE (the bot's own) follows."""
    guild.members[APP_ID] = list(roles)
    event = {"guild_id": str(guild.id), **guild.member_payload(APP_ID)}
    fake.dispatch(guild.id, "GUILD_MEMBER_UPDATE", event)
