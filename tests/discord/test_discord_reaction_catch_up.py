"""Reactions made while the bot was away: DiscordPlatform.current_reactions and the catch-up."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord.platform import DiscordPlatform
from bot.core.domain import Choice
from bot.core.ports import PromptMessage
from tests.discord.discord_stack import Stack
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, OTHER_BOT, OWNER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import react
from tests.discord.fake_discord_state import BOT_TOKEN
from tests.discord.test_discord_end_to_end import command, stack

__all__ = ["stack"]  # the end-to-end fixture, shared
CHOICES = (Choice("🍵", "tea"), Choice("☕", "coffee"))
PROMPT = PromptMessage("Tea?", "food", "m1", choices=CHOICES)
PARTY = "party:777000000000000001"  # a server's custom emoji, as the REST path names it
REACTORS = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}"


@pytest.fixture
async def platform(fake_discord: FakeDiscord) -> AsyncIterator[DiscordPlatform]:
    client = discord.Client(intents=discord.Intents.none())
    yield DiscordPlatform(client, BOT_TOKEN)
    await client.close()


async def test_current_reactions_are_people_only_across_pages(
    fake_discord: FakeDiscord, platform: DiscordPlatform
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    target = await platform.post(str(GUILD_A), str(server.channel.id), PROMPT)
    crowd = [MEMBER + 1000 + n for n in range(130)]  # more than one page of reactors
    for user in crowd:
        fake_discord.world.add_member(server.guild, user, f"u{user}")
        react(fake_discord, GUILD_A, target.message_id, user, "🍵")
    react(fake_discord, GUILD_A, target.message_id, MANAGER, PARTY)
    react(fake_discord, GUILD_A, target.message_id, OTHER_BOT, "☕")

    found = await platform.current_reactions(str(GUILD_A), target)

    expected = {(str(u), "🍵") for u in crowd} | {(str(MANAGER), f"<:{PARTY}>")}
    assert sorted(found) == sorted(expected)  # the bot's own 🍵 ☕ and the other bot left out
    tea_pages = [c for c in fake_discord.rest.calls("GET", REACTORS) if c.path.endswith("🍵")]
    assert [c.query.get("after") for c in tea_pages] == [None, str(crowd[99])]


async def test_a_message_without_reactions_has_none(
    fake_discord: FakeDiscord, platform: DiscordPlatform
) -> None:
    server = populate(fake_discord, GUILD_A, "A")
    target = await platform.post(
        str(GUILD_A), str(server.channel.id), PromptMessage("Hi", "x", "m")
    )

    assert await platform.current_reactions(str(GUILD_A), target) == []


async def test_catch_up_adds_missed_reactions_removes_gone_ones_and_keeps_live_ones(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    await bot.fire_next_slot()
    [post] = await bot.posts()
    message_id = str(post.message_id)
    react(fake_discord, GUILD_A, message_id, MEMBER, "🍵")  # seen live, over the gateway
    react(fake_discord, GUILD_A, message_id, MANAGER, PARTY)
    live = [("reaction", f"<:{PARTY}>"), ("reaction", "🍵")]
    await bot.wait_for_responses(post.id, live)
    # the bot is away: one reaction is added, one removed, and no event reaches it
    reactions = fake_discord.world.reactions[int(message_id)]
    reactions.append(("☕", OWNER))
    reactions.remove(("🍵", MEMBER))

    assert await bot.core.service.catch_up_reactions() == 2
    assert await bot.core.service.catch_up_reactions() == 0  # live and caught-up names agree
    assert sorted(await bot.responses(post.id)) == [("reaction", f"<:{PARTY}>"), ("reaction", "☕")]
