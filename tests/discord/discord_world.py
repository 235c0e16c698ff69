"""The servers, people and ids the Discord tests use."""

from __future__ import annotations

from dataclasses import dataclass

from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_state import (
    MANAGE_GUILD,
    MEMBER_DEFAULT,
    FakeChannel,
    FakeGuild,
    role_payload,
    snowflake,
)

# (guild_id >> 22) % 2 puts GUILD_A on shard 0 and GUILD_B on shard 1
GUILD_A = 1000 << 22
GUILD_B = 1001 << 22
OWNER = 500_000_000_000_000_001
MANAGER = 500_000_000_000_000_002
MEMBER = 500_000_000_000_000_003
OTHER_BOT = 500_000_000_000_000_004


@dataclass
class Server:
    guild: FakeGuild
    channel: FakeChannel
    manager_role: int


def populate(fake: FakeDiscord, guild_id: int, name: str) -> Server:
    world = fake.world
    guild = world.add_guild(guild_id, name, OWNER)
    manager_role = guild_id + 2
    guild.roles[manager_role] = role_payload(manager_role, "Mods", MEMBER_DEFAULT | MANAGE_GUILD)
    world.add_member(guild, MANAGER, "manager", roles=(manager_role,))
    world.add_member(guild, MEMBER, "member")
    world.add_member(guild, OTHER_BOT, "otherbot", bot=True)
    channel = FakeChannel(snowflake(), guild_id, "general")
    guild.channels[channel.id] = channel
    return Server(guild, channel, manager_role)
