"""Member rituals through discord.py and the fake Discord: a streak milestone said in the
post's thread with no mention allowed, `/tigerbird me` answered privately, and a best answer
that is counted but never quoted without the Message Content intent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.domain import PlatformName
from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import react, say, thread_channel
from tests.discord.test_discord_end_to_end import command


@pytest.fixture
async def stack(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[Stack, Server]]:
    server = populate(fake_discord, GUILD_A, "A")
    clock = FrozenClock(datetime.now(UTC))
    running = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    yield running, server
    await running.stop()


def bot_lines(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    return [m for m in fake.world.channel_messages(channel_id) if m["author"].get("bot")]


async def answer_a_day(
    fake: FakeDiscord, bot: Stack, member: int, text: str = "tea"
) -> tuple[str, dict[str, Any]]:
    """The next slot posts; `member` answers in its thread (stored before returning)."""
    before = len(await bot.posts())
    assert await bot.fire_next_slot() == 1
    post = max(await bot.posts(), key=lambda p: p.slot_at)
    assert len(await bot.posts()) == before + 1 and post.message_id is not None
    thread = thread_channel(fake, post.message_id)
    said = say(fake, GUILD_A, thread.id, member, text)
    await bot.wait_for_responses(post.id, [("reply", "")])
    return post.message_id, said


async def test_a_streak_of_three_is_said_in_the_thread_without_any_mention(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    for _ in range(3):
        message_id, _ = await answer_a_day(fake_discord, bot, MEMBER)
    thread = thread_channel(fake_discord, message_id)
    await fake_discord.wait_until(lambda: bool(bot_lines(fake_discord, thread.id)))

    [line] = bot_lines(fake_discord, thread.id)
    assert line["content"].startswith("🔥 A 3-answer streak in this channel!")
    creates = fake_discord.rest.calls("POST", "/channels/{channel_id}/messages")
    [said] = [c for c in creates if c.path == f"/channels/{thread.id}/messages"]
    assert said.body["allowed_mentions"] == {"parse": []}
    assert fake_discord.rest.violations == []

    mine = await command(fake_discord, server, MEMBER, "me")
    assert "streak 3 (best 3), 3 answers" in mine
    assert (await command(fake_discord, server, MEMBER, "me", choice="off")).startswith(
        "You are out"
    )


async def test_a_best_answer_without_its_text_is_counted_not_quoted(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    await command(fake_discord, server, MANAGER, "settings", change="best-answer on")
    first_id, reply = await answer_a_day(fake_discord, bot, MEMBER, "<@1> tea @everyone")
    first = next(p for p in await bot.posts() if p.message_id == first_id)
    async with bot.uow() as u:
        schedule = await u.schedules.get(first.schedule_id)
    assert schedule is not None
    wanted = {(schedule.community_id, str(reply["id"]))}

    async def reply_kept() -> bool:
        async with bot.uow() as u:
            return await u.rituals.kept_replies(wanted) == wanted

    async with asyncio.timeout(10):
        # the reply is kept for the best answer just after its response is stored
        while not await reply_kept():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    react(fake_discord, GUILD_A, str(reply["id"]), MANAGER, "👍")
    voter = bot.core.service.members.key(PlatformName.DISCORD, str(MANAGER))

    async def reaction_kept() -> bool:
        async with bot.uow() as u:
            return bool(await u.rituals.about(voter))

    async with asyncio.timeout(10):
        # polling the database: the reaction arrives over the gateway
        while not await reaction_kept():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    second_id, _ = await answer_a_day(fake_discord, bot, MEMBER)

    async with bot.uow() as u:
        [best] = await u.rituals.best_answers([first.id])
    assert (best.reactions, best.text) == (1, None)  # no Message Content intent: no text
    assert bot_lines(fake_discord, thread_channel(fake_discord, second_id).id) == []
