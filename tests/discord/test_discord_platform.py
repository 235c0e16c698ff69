"""DiscordPlatform (REST only, no gateway) against the contract-checked fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from adapters.discord.platform import DiscordPlatform
from bot.core.domain import Choice
from bot.core.ports import PlatformError, PromptMessage
from tests.discord.discord_world import GUILD_A, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_state import APP_ID, BOT_TOKEN, MANAGE_MESSAGES, PIN_MESSAGES

PROMPT = PromptMessage(
    text="Tea or coffee? @everyone <@&42>",
    category="food",
    marker="s17-20261126T0900",
    choices=(Choice("🍵", "tea"), Choice("☕", "coffee")),
)


@pytest.fixture
async def platform(fake_discord: FakeDiscord) -> AsyncIterator[DiscordPlatform]:
    client = discord.Client(intents=discord.Intents.none())
    yield DiscordPlatform(client, BOT_TOKEN)
    await client.close()


def bot_posts(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    return [m for m in fake.world.channel_messages(channel_id) if m["embeds"]]


async def test_post_sends_one_embed_with_nonce_reactions_and_thread(
    fake_discord: FakeDiscord,
    platform: DiscordPlatform,
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    target = await platform.post(str(GUILD_A), str(server.channel.id), PROMPT)

    [posted] = bot_posts(fake_discord, server.channel.id)
    [create] = fake_discord.rest.calls("POST", "/channels/{channel_id}/messages")
    assert create.body["nonce"] == PROMPT.marker and create.body["enforce_nonce"] is True
    assert create.body["allowed_mentions"] == {"parse": []}
    assert "Tea or coffee?" in posted["embeds"][0]["description"]
    assert target.message_id == posted["id"]
    assert fake_discord.world.reactions[int(posted["id"])] == [("🍵", APP_ID), ("☕", APP_ID)]
    thread = fake_discord.world.thread_of(int(posted["id"]))
    assert thread is not None and target.thread_id == str(thread.id)
    [thread_call] = fake_discord.rest.calls(
        "POST", "/channels/{channel_id}/messages/{message_id}/threads"
    )
    assert thread_call.body["auto_archive_duration"] == 1440


async def test_same_slot_twice_returns_the_first_message(
    fake_discord: FakeDiscord,
    platform: DiscordPlatform,
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    first = await platform.post(str(GUILD_A), str(server.channel.id), PROMPT)
    second = await platform.post(str(GUILD_A), str(server.channel.id), PROMPT)

    assert second.message_id == first.message_id
    assert len(bot_posts(fake_discord, server.channel.id)) == 1
    assert second.thread_id == first.thread_id


async def test_ping_role_is_the_only_allowed_mention(
    fake_discord: FakeDiscord,
    platform: DiscordPlatform,
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    message = PromptMessage(text="Hi @everyone", category="x", marker="m1", ping_role="77")
    await platform.post(str(GUILD_A), str(server.channel.id), message)

    [create] = fake_discord.rest.calls("POST", "/channels/{channel_id}/messages")
    assert create.body["content"] == "<@&77>"
    assert create.body["allowed_mentions"] == {"parse": [], "roles": [77]}


async def test_429_is_waited_out_and_posts_once(
    fake_discord: FakeDiscord,
    platform: DiscordPlatform,
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    fake_discord.inject("POST", "/channels/{channel_id}/messages", 429, retry_after=0.05)
    await platform.post(str(GUILD_A), str(server.channel.id), PROMPT)

    assert len(fake_discord.rest.calls("POST", "/channels/{channel_id}/messages")) == 2
    assert len(bot_posts(fake_discord, server.channel.id)) == 1


async def test_find_post_recognises_the_marker_after_a_crash(
    fake_discord: FakeDiscord,
    platform: DiscordPlatform,
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    since = datetime.now(UTC) - timedelta(minutes=1)
    posted = await platform.post(str(GUILD_A), str(server.channel.id), PROMPT)

    found = await platform.find_post(str(GUILD_A), str(server.channel.id), PROMPT.marker, since)
    missing = await platform.find_post(str(GUILD_A), str(server.channel.id), "other", since)

    assert found is not None and found.message_id == posted.message_id
    assert missing is None


async def test_pin_and_unpin(fake_discord: FakeDiscord, platform: DiscordPlatform) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    posted = await platform.post(str(GUILD_A), str(server.channel.id), PROMPT)
    await platform.pin(str(GUILD_A), posted)
    assert int(posted.message_id) in fake_discord.world.pins
    await platform.unpin(str(GUILD_A), posted)
    assert fake_discord.world.pins == set()


async def test_permission_preflight_names_what_is_missing_and_where(
    fake_discord: FakeDiscord,
    platform: DiscordPlatform,
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    bot_role = GUILD_A + 1
    deny = str(PIN_MESSAGES | (1 << 35))
    server.channel.overwrites = [{"id": str(bot_role), "type": 0, "allow": "0", "deny": deny}]

    missing = await platform.check_permissions(
        str(GUILD_A), str(server.channel.id), pin=True, thread=True, ping_role=None
    )

    assert [m.what for m in missing] == [
        f"Create Public Threads in #general (<#{server.channel.id}>)",
        f"Pin Messages in #general (<#{server.channel.id}>)",
    ]


async def test_manage_messages_still_allows_pinning(
    fake_discord: FakeDiscord,
    platform: DiscordPlatform,
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    bot_role = GUILD_A + 1
    server.channel.overwrites = [
        {"id": str(bot_role), "type": 0, "allow": str(MANAGE_MESSAGES), "deny": str(PIN_MESSAGES)}
    ]
    missing = await platform.check_permissions(
        str(GUILD_A), str(server.channel.id), pin=True, thread=True, ping_role=None
    )
    assert missing == []


async def test_unknown_channel_is_a_permanent_error(
    fake_discord: FakeDiscord,
    platform: DiscordPlatform,
) -> None:
    populate(fake_discord, GUILD_A, "A")
    with pytest.raises(PlatformError) as caught:
        await platform.post(str(GUILD_A), "123456789012345678", PROMPT)
    assert caught.value.permanent and caught.value.code == "unknown_channel"
