"""Fixtures for the Discord tests: a populated fake Discord and discord.py pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fake_discord import FakeDiscord
from fake_discord_state import FakeChannel, FakeGuild, snowflake

from adapters.discord import endpoints

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
    from fake_discord_state import MANAGE_GUILD, MEMBER_DEFAULT, role_payload

    guild.roles[manager_role] = role_payload(manager_role, "Mods", MEMBER_DEFAULT | MANAGE_GUILD)
    world.add_member(guild, MANAGER, "manager", roles=(manager_role,))
    world.add_member(guild, MEMBER, "member")
    world.add_member(guild, OTHER_BOT, "otherbot", bot=True)
    channel = FakeChannel(snowflake(), guild_id, "general")
    guild.channels[channel.id] = channel
    return Server(guild, channel, manager_role)


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    before = endpoints.current()
    endpoints.point_at(fake.api_url, fake.gateway_url)
    try:
        yield fake
    finally:
        endpoints.point_at(*before)
        await fake.stop()
    fake.assert_contract_kept()
