"""Pre-flight from the gateway cache: a post costs only the requests it needs (message, one
reaction per choice, thread), and permission changes arrive as gateway events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.domain import PostStatus
from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, GUILD_B, MANAGER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_admin import set_bot_roles, set_role_permissions
from tests.discord.fake_discord_people import answer_text, slash
from tests.discord.fake_discord_state import BOT_DEFAULT, EMBED_LINKS, SEND_MESSAGES

MESSAGE = ("POST", "/channels/{channel_id}/messages")
REACTION = ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me")
THREAD = ("POST", "/channels/{channel_id}/messages/{message_id}/threads")
PREFLIGHT = {"/guilds/{guild_id}", "/guilds/{guild_id}/members/{user_id}", "/channels/{channel_id}"}


@pytest.fixture
async def stack(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[Stack, Server]]:
    server = populate(fake_discord, GUILD_A, "A")
    clock = FrozenClock(datetime.now(UTC))
    running = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    yield running, server
    await running.stop()


async def schedule_here(fake: FakeDiscord, server: Server) -> None:
    iid = slash(fake, GUILD_A, server.channel.id, MANAGER, "here", time="09:00", tz="UTC")
    await fake.wait_until(lambda: answer_text(fake, iid) is not None)
    assert (answer_text(fake, iid) or "").startswith("Scheduled here")


def requests_for(fake: FakeDiscord, server: Server, since: int) -> list[tuple[str, str]]:
    """The requests about the server's guild or channel after log entry `since` (DMs to the
    managers go to other channels)."""
    mine = (f"/channels/{server.channel.id}", f"/guilds/{GUILD_A}")
    return [(c.method, c.template) for c in fake.rest.log[since:] if c.path.startswith(mine)]


async def test_a_post_sends_its_message_one_reaction_per_choice_and_its_thread_only(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await schedule_here(fake_discord, server)
    before = len(fake_discord.rest.log)

    assert await bot.fire_next_slot() == 1

    [post] = await bot.posts()
    assert post.status is PostStatus.SENT
    # TEA has two choices and threads are on: 1 + 2 + 1 requests, no pre-flight reads
    assert requests_for(fake_discord, server, before) == [MESSAGE, REACTION, REACTION, THREAD]
    assert not [c for c in fake_discord.rest.log[before:] if c.template in PREFLIGHT]


async def test_a_permission_removed_by_a_role_update_is_seen_on_the_next_post_without_rest(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await schedule_here(fake_discord, server)
    await bot.fire_next_slot()
    bot_role = GUILD_A + 1
    set_role_permissions(fake_discord, server.guild, bot_role, BOT_DEFAULT & ~EMBED_LINKS)
    client = bot.adapter.client

    def cache_updated() -> bool:
        guild = client.get_guild(GUILD_A)
        role = guild.get_role(bot_role) if guild else None
        return role is not None and not role.permissions.embed_links

    await fake_discord.wait_until(cache_updated)
    before = len(fake_discord.rest.log)

    await bot.fire_next_slot()

    [schedule] = await bot.schedules()
    assert schedule.paused and "Embed Links" in (schedule.pause_reason or "")
    assert not [c for c in fake_discord.rest.log[before:] if c.template in PREFLIGHT]
    assert MESSAGE not in requests_for(fake_discord, server, before)


async def test_the_bots_own_member_update_is_seen_without_rest(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    set_role_permissions(fake_discord, server.guild, GUILD_A, SEND_MESSAGES)  # @everyone
    set_bot_roles(fake_discord, server.guild, [])  # the Tigerbird role taken away
    client = bot.adapter.client

    def cache_updated() -> bool:
        guild = client.get_guild(GUILD_A)
        assert guild is not None
        return len(guild.me.roles) == 1 and not guild.default_role.permissions.view_channel

    await fake_discord.wait_until(cache_updated)
    before = len(fake_discord.rest.log)

    missing = await bot.adapter.platform.check_permissions(
        str(GUILD_A), str(server.channel.id), pin=False, thread=False, ping_role=None
    )

    assert [m.what.split(" in ")[0] for m in missing] == [
        "View Channel",
        "Embed Links",
        "Add Reactions",
        "Read Message History",
    ]
    assert fake_discord.rest.log[before:] == []


async def test_a_guild_the_cache_lacks_is_checked_over_rest(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, _ = stack
    other = populate(fake_discord, GUILD_B, "B")  # joined after READY: no GUILD_CREATE sent
    assert bot.adapter.client.get_guild(GUILD_B) is None
    before = len(fake_discord.rest.log)

    missing = await bot.adapter.platform.check_permissions(
        str(GUILD_B), str(other.channel.id), pin=True, thread=True, ping_role=None
    )

    assert missing == []
    asked = {c.template for c in fake_discord.rest.log[before:]}
    assert asked >= PREFLIGHT
