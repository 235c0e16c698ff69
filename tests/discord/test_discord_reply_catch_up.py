"""Replies written while the bot was away: DiscordPlatform.current_replies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord.platform import HISTORY_SCAN_LIMIT, DiscordPlatform
from bot.core.ports import PromptMessage
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, OTHER_BOT, OWNER, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import say
from tests.discord.fake_discord_state import BOT_TOKEN

THREADED = PromptMessage("Tea?", "food", "m1", open_thread=True, thread_title="Tea?")
MESSAGES = "/channels/{channel_id}/messages"


@pytest.fixture
async def platform(fake_discord: FakeDiscord) -> AsyncIterator[DiscordPlatform]:
    client = discord.Client(intents=discord.Intents.none())
    yield DiscordPlatform(client, BOT_TOKEN)
    await client.close()


async def test_current_replies_are_people_in_the_thread_and_replies_to_the_post(
    fake_discord: FakeDiscord, platform: DiscordPlatform
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    channel = server.channel.id
    target = await platform.post(str(GUILD_A), str(channel), THREADED)
    assert target.thread_id is not None
    thread = int(target.thread_id)
    in_thread = say(fake_discord, GUILD_A, thread, MEMBER)
    say(fake_discord, GUILD_A, thread, OTHER_BOT)  # a bot: left out
    referencing = say(fake_discord, GUILD_A, channel, MANAGER, reply_to=target.message_id)
    say(fake_discord, GUILD_A, channel, OWNER)  # in the channel, not a reply: left out
    say(fake_discord, GUILD_A, channel, OWNER, reply_to=str(in_thread["id"]))  # to another one

    found = await platform.current_replies(str(GUILD_A), target)

    expected = [
        (str(MEMBER), discord.utils.snowflake_time(int(in_thread["id"]))),
        (str(MANAGER), discord.utils.snowflake_time(int(referencing["id"]))),
    ]
    assert found == expected


async def test_current_replies_pages_after_the_post_and_stops_at_the_scan_limit(
    fake_discord: FakeDiscord, platform: DiscordPlatform
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    channel = server.channel.id
    plain = PromptMessage("Hi", "x", "m2", open_thread=False)
    target = await platform.post(str(GUILD_A), str(channel), plain)
    assert await platform.current_replies(str(GUILD_A), target) == []
    for _ in range(HISTORY_SCAN_LIMIT + 50):
        say(fake_discord, GUILD_A, channel, MEMBER, reply_to=target.message_id)
    before = len(fake_discord.rest.calls("GET", MESSAGES))

    found = await platform.current_replies(str(GUILD_A), target)

    assert len(found) == HISTORY_SCAN_LIMIT and {m for m, _ in found} == {str(MEMBER)}
    pages = fake_discord.rest.calls("GET", MESSAGES)[before:]
    assert pages[0].query.get("after") == target.message_id
    assert len(pages) == HISTORY_SCAN_LIMIT // 100
