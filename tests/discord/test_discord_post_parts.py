"""A Discord post's parts over the real discord.py client: a reaction refused for now is added
by the retry without a second message, and a thread refused for good is told once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.domain import PostStatus
from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, MANAGER, OWNER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import answer_text, slash
from tests.discord.fake_discord_state import APP_ID

REACTION = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me"
THREAD = "/channels/{channel_id}/messages/{message_id}/threads"


@pytest.fixture
async def stack(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[Stack, Server]]:
    server = populate(fake_discord, GUILD_A, "A")
    clock = FrozenClock(datetime.now(UTC))
    running = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    iid = slash(fake_discord, GUILD_A, server.channel.id, MANAGER, "here", time="09:00", tz="UTC")
    await fake_discord.wait_until(lambda: answer_text(fake_discord, iid) is not None)
    yield running, server
    await running.stop()


def prompts(fake: FakeDiscord, server: Server) -> list[str]:
    return [m["id"] for m in fake.world.channel_messages(server.channel.id) if m["embeds"]]


async def test_a_reaction_refused_for_now_is_added_by_the_retry(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    fake_discord.inject("PUT", REACTION, 503)  # discord.py does not retry a 503 itself

    await bot.fire_next_slot()

    [post] = await bot.posts()
    assert post.status is PostStatus.CLAIMED and post.message_id is not None
    bot.clock.advance(timedelta(minutes=1))
    assert await bot.core.service.recover() == 1
    [post] = await bot.posts()
    assert post.status is PostStatus.SENT and post.message_id is not None
    assert prompts(fake_discord, server) == [post.message_id]
    mine = {e for e, u in fake_discord.world.reactions[int(post.message_id)] if u == APP_ID}
    assert mine == {"🍵", "☕"}


async def test_a_thread_refused_for_good_is_told_to_the_owner_once(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    fake_discord.inject("POST", THREAD, 403)  # the permission went after the pre-flight

    await bot.fire_next_slot()
    await bot.core.service.recover(lease=timedelta(0))

    [post] = await bot.posts()
    assert post.status is PostStatus.SENT and "thread" in (post.error or "")
    told = [(u, m["content"]) for u, m in fake_discord.world.dms if "without" in m["content"]]
    assert [u for u, _ in told] == [OWNER] and "without thread" in told[0][1]
    assert len(prompts(fake_discord, server)) == 1
