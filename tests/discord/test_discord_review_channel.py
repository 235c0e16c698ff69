"""`settings review-channel` only takes a channel of this server; when a review cannot be
posted the managers are told, and `/tigerbird pending` + `approve`/`reject` reach it anyway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.domain import PlatformName, PromptStatus
from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, GUILD_B, MANAGER, MEMBER, OWNER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import slash, submit_modal
from tests.discord.fake_discord_state import FakeChannel, snowflake
from tests.discord.test_discord_suggestions import answered, open_modal, review_posts


@pytest.fixture
async def servers(
    fake_discord: FakeDiscord, tmp_path: Path
) -> AsyncIterator[tuple[Stack, Server, Server, FakeChannel]]:
    server_a = populate(fake_discord, GUILD_A, "A")
    server_b = populate(fake_discord, GUILD_B, "B")
    reviews = FakeChannel(snowflake(), GUILD_A, "reviews")
    server_a.guild.channels[reviews.id] = reviews
    clock = FrozenClock(datetime.now(UTC))
    running = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    yield running, server_a, server_b, reviews
    await running.stop()


async def setting(fake: FakeDiscord, server: Server, change: str) -> str:
    iid = slash(fake, GUILD_A, server.channel.id, MANAGER, "settings", change=change)
    return await answered(fake, iid)


async def review_channel(bot: Stack) -> str | None:
    community = await bot.core.service.community(PlatformName.DISCORD, str(GUILD_A))
    return community.review_channel if community else None


async def test_review_channel_must_be_one_of_this_servers_channels(
    fake_discord: FakeDiscord, servers: tuple[Stack, Server, Server, FakeChannel]
) -> None:
    bot, server_a, server_b, reviews = servers
    for change in (
        f"review-channel <#{server_b.channel.id}>",  # another server's channel
        f"review-channel {server_b.channel.id}",
        "review-channel #no-such-channel",
        "review-channel 123456",
    ):
        answer = await setting(fake_discord, server_a, change)
        assert answer.startswith("review-channel: no text channel"), (change, answer)
        assert await review_channel(bot) is None

    by_name = await setting(fake_discord, server_a, "review-channel #Reviews")
    assert by_name == f"Suggestions will be reviewed in <#{reviews.id}>."
    assert await review_channel(bot) == str(reviews.id)
    by_mention = await setting(fake_discord, server_a, f"review-channel <#{server_a.channel.id}>")
    assert by_mention.endswith(f"<#{server_a.channel.id}>.")
    assert await review_channel(bot) == str(server_a.channel.id)
    await setting(fake_discord, server_a, "review-channel off")
    assert await review_channel(bot) is None


async def test_a_review_that_cannot_be_posted_is_told_and_reachable_with_pending(
    fake_discord: FakeDiscord, servers: tuple[Stack, Server, Server, FakeChannel]
) -> None:
    bot, server_a, server_b, _ = servers
    service = bot.core.service
    community = await service.ensure_community(PlatformName.DISCORD, str(GUILD_A))
    # a value stored before channels were checked: another server's channel
    await service.update_community(replace(community, review_channel=str(server_b.channel.id)))

    channel = server_a.channel.id
    modal = await open_modal(fake_discord, slash(fake_discord, GUILD_A, channel, MEMBER, "suggest"))
    text = ["Which smell takes you back to childhood?", "nostalgia"]
    reply = await answered(
        fake_discord, submit_modal(fake_discord, GUILD_A, channel, MEMBER, modal, text)
    )
    assert reply.startswith("Thanks!")
    await fake_discord.wait_until(
        lambda: any("could not post suggestion" in m["content"] for _, m in fake_discord.world.dms)
    )
    assert review_posts(fake_discord, server_b) == [] and review_posts(fake_discord, server_a) == []
    [(to, told)] = [(u, m) for u, m in fake_discord.world.dms if "could not post" in m["content"]]
    assert to == OWNER and "/tigerbird pending" in told["content"]

    listed = await answered(
        fake_discord, slash(fake_discord, GUILD_A, server_a.channel.id, MANAGER, "pending")
    )
    assert listed.startswith("1 waiting for review") and "Which smell takes you back" in listed
    prompt_id = int(listed.split("\n")[1].split()[0].lstrip("#"))
    refused = await answered(
        fake_discord,
        slash(fake_discord, GUILD_A, server_a.channel.id, MEMBER, "approve", id=prompt_id),
    )
    assert refused.startswith("Only the community's managers")
    from_b = await answered(
        fake_discord,
        slash(fake_discord, GUILD_B, server_b.channel.id, MANAGER, "approve", id=prompt_id),
    )
    assert from_b == f"no prompt with id {prompt_id}"
    approved = await answered(
        fake_discord,
        slash(fake_discord, GUILD_A, server_a.channel.id, MANAGER, "approve", id=prompt_id),
    )
    assert approved.startswith("Approved")
    assert (await service.get_prompt(prompt_id)).status is PromptStatus.ACTIVE
