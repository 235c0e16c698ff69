"""Two shard processes sharing one database: each gets only its guilds; each slot posts once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.core.domain import PostStatus
from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, GUILD_B, MANAGER, MEMBER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import answer_text, react, slash


async def schedule_here(fake: FakeDiscord, server: Server) -> None:
    iid = slash(fake, server.guild.id, server.channel.id, MANAGER, "here", time="09:00", tz="UTC")
    await fake.wait_until(lambda: answer_text(fake, iid) is not None)
    assert (answer_text(fake, iid) or "").startswith("Scheduled here")


async def test_each_shard_process_receives_only_its_guilds_and_slots_post_once(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    server_a = populate(fake_discord, GUILD_A, "A")
    server_b = populate(fake_discord, GUILD_B, "B")
    clock = FrozenClock(datetime.now(UTC))
    db = tmp_path / "shared.db"
    shard0 = await start_stack(
        stack_settings(fake_discord, db, DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS="0"), clock
    )
    shard1 = await start_stack(
        stack_settings(fake_discord, db, DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS="1"), clock
    )
    try:
        await _check(fake_discord, shard0, shard1, server_a, server_b)
    finally:
        await shard0.stop()
        await shard1.stop()


async def _check(fake: FakeDiscord, shard0: Stack, shard1: Stack, a: Server, b: Server) -> None:
    assert sorted(s.shard for s in fake.sessions.values()) == [(0, 2), (1, 2)]
    assert [g.id for g in shard0.adapter.client.guilds] == [GUILD_A]
    assert [g.id for g in shard1.adapter.client.guilds] == [GUILD_B]
    await schedule_here(fake, a)
    await schedule_here(fake, b)
    for session in fake.sessions.values():
        guilds = {f["d"].get("guild_id") or f["d"].get("id") for f in session.sent}
        assert guilds == {str(GUILD_A if session.shard == (0, 2) else GUILD_B)}

    slot = await shard0.core.service.earliest_next_slot()
    assert isinstance(slot, datetime)
    shard0.clock.set(slot.replace(second=1))
    posted = await asyncio.gather(shard0.core.service.post_due(), shard1.core.service.post_due())

    assert sum(posted) == 2
    posts = await shard0.posts()
    assert sorted(p.status for p in posts) == [PostStatus.SENT, PostStatus.SENT]
    for server in (a, b):
        prompts = [m for m in fake.world.channel_messages(server.channel.id) if m["embeds"]]
        assert len(prompts) == 1

    # engagement in guild B reaches the core through shard 1's connection
    post_b = next(p for p in posts if p.message_id in _ids(fake, b))
    assert post_b.message_id is not None
    react(fake, GUILD_B, post_b.message_id, MEMBER, "🍵")
    await shard1.wait_for_responses(post_b.id, [("reaction", "🍵")])


def _ids(fake: FakeDiscord, server: Server) -> set[str]:
    return {m["id"] for m in fake.world.channel_messages(server.channel.id)}
