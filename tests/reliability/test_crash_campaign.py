"""kill -9 of a real `tigerbird run` during a 200-channel fan-out, then a restart: every slot
is posted exactly once (or skipped as its catch-up policy says) and the database is sound;
on SQLite and on PostgreSQL (when TEST_DATABASE_URL is set).

While the bot is down a person reacts to and replies to every prompt already on the platforms
(also those posted but not yet recorded when the process died): after the restart each is
stored (issue 14). Every slot the killed run left is posted within 30 s of the restart.

CI runs RELIABILITY_TRIALS=3 (the default); `make test-reliability` runs 20 seeded trials.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from discord_world import GUILD_A, OWNER
from fake_discord_people import say

from bot.app.bootstrap import open_database
from bot.core.domain import PlatformName, PostStatus, ResponseKind
from bot.engagement.members import MemberKeys
from bot.storage.engine import make_engine
from tests.conftest import require_postgres, truncate_all
from tests.reliability.bot_process import BotProcess, start_bot
from tests.reliability.integrity import database_problems, tally
from tests.reliability.sizing import SEED, TRIALS
from tests.reliability.world import (
    MEMBER_KEY,
    SLACK_DOWN,
    World,
    seed,
    sqlite_url,
    start_fakes,
)

CHANNELS_PER_PLATFORM = 100  # 200 schedules due in the same minute
LATE_EVERY = 10  # plus every 10th one missed while "down": catch-up skip or latest
FINISH_TIMEOUT_SECONDS = 180.0
RESTART_TARGET_SECONDS = 30.0  # every slot the killed run left is posted this soon (issue 14)
DOWN_EMOJI = "🎉"
POSTGRES = pytest.mark.postgres
MessageKey = tuple[PlatformName, str, str]  # (platform, channel, message id)


def sent_so_far(world: World) -> int:
    """Cheap count of everything the bots created on both fakes."""
    slack = sum(len(c.messages) for c in world.slack.channels.values())
    return slack + len(world.discord.world.messages)


async def wait_for(predicate: Callable[[], Awaitable[bool]], what: str, bot: BotProcess) -> None:
    try:
        async with asyncio.timeout(FINISH_TIMEOUT_SECONDS):
            # polling: the child process changes the fakes and the database asynchronously
            while not await predicate():
                if bot.process.returncode is not None:
                    raise AssertionError(f"the bot exited while {what}:\n{bot.text[-4000:]}")
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"timed out while {what}:\n{bot.text[-4000:]}") from None


async def left_claimed(world: World) -> tuple[int, int]:
    """Rows the killed process left claimed, and how many of those it had already posted:
    the ones only find_post(marker) keeps from being posted twice."""
    engine, uow = await open_database(world.settings())
    async with uow() as u:
        claimed = [p for p in await u.posts.all() if p.status is PostStatus.CLAIMED]
    await engine.dispose()
    posted = sum(world.prompts_in(world.plan[p.schedule_id]) > 0 for p in claimed)
    return len(claimed), posted


def respond_while_down(world: World, prompts: list[MessageKey]) -> None:
    """A person reacts and replies to each prompt; no event reaches any bot."""
    for platform, channel, message_id in prompts:
        if platform is PlatformName.SLACK:
            world.slack.react(channel, message_id, SLACK_DOWN, "tada")
            world.slack.reply(channel, message_id, SLACK_DOWN)
        else:
            world.discord.world.reactions.setdefault(int(message_id), []).append(
                (DOWN_EMOJI, OWNER)
            )
            say(world.discord, GUILD_A, int(channel), OWNER, reply_to=message_id)


async def responses_lost(world: World, prompts: list[MessageKey]) -> dict[str, int]:
    """Of the reactions and replies made while down, those not stored after the restart."""
    keys = MemberKeys(MEMBER_KEY.encode())
    engine, uow = await open_database(world.settings())
    async with uow() as u:
        posts = {(p.message_id or ""): p.id for p in await u.posts.all()}
        stored = {
            message_id: {(m, kind, e) for m, kind, e, _ in await u.responses.for_post(post_id)}
            for message_id, post_id in posts.items()
        }
    await engine.dispose()
    lost = {"reactions": 0, "replies": 0}
    for platform, _, message_id in prompts:
        person = keys.key(platform, SLACK_DOWN if platform is PlatformName.SLACK else str(OWNER))
        found = stored.get(message_id, set())
        lost["reactions"] += (person, ResponseKind.REACTION, DOWN_EMOJI) not in found
        lost["replies"] += (person, ResponseKind.REPLY, "") not in found
    return lost


async def database_url(database: str, tmp: Path) -> str:
    if database == "sqlite":
        return sqlite_url(tmp)
    url = require_postgres()
    engine = make_engine(url)
    await truncate_all(engine)
    await engine.dispose()
    return url


async def run_trial(tmp: Path, rng: random.Random, database: str) -> dict[str, object]:
    url = await database_url(database, tmp)
    slack, discord, slack_channels, discord_channels = await start_fakes(CHANNELS_PER_PLATFORM)
    world = World(slack, discord, url)
    try:
        channels = {PlatformName.SLACK: slack_channels, PlatformName.DISCORD: discord_channels}
        await seed(world, channels, LATE_EVERY)
        to_post = sum(p.must_post for p in world.plan.values())
        kill_after = rng.randrange(0, to_post)
        jitter = rng.uniform(0, 0.05)
        first = await start_bot(world.env(), tmp, wait_ready=False)

        async def reached() -> bool:
            return sent_so_far(world) >= kill_after

        await wait_for(reached, f"waiting for {kill_after} posts", first)
        await asyncio.sleep(jitter)
        first.kill()
        await first.wait()
        at_kill = world.total_prompts()
        claimed, unrecorded = await left_claimed(world)
        before_restart = world.prompt_times()
        down = sorted(before_restart)
        respond_while_down(world, down)

        restarted_at = datetime.now(UTC)
        second = await start_bot(world.env(), tmp)

        async def settled() -> bool:
            return not await database_problems(world.database_url) and (
                world.total_prompts() >= to_post
            )

        await wait_for(settled, "recovering", second)
        await asyncio.sleep(1.0)  # anything still in flight would show up as a duplicate
        assert await second.stop() == 0, second.text[-4000:]
        late = {PlatformName.SLACK: 0.0, PlatformName.DISCORD: 0.0}
        for key, at in world.prompt_times().items():
            if key not in before_restart:
                late[key[0]] = max(late[key[0]], (at - restarted_at).total_seconds())
        lost = await responses_lost(world, down)
        by_platform = {p.value: sum(k[0] is p for k in down) for p in late}
        result, problems = await tally(world)
        assert problems == [], problems
        assert await database_problems(world.database_url) == []
        assert (result.duplicates, result.lost, result.unresolved) == (0, 0, 0)
        assert result.posted == to_post
        assert result.skipped == len(world.plan) - to_post
        assert slack.violations == []
        discord.assert_contract_kept()
        assert lost == {"reactions": 0, "replies": 0}, (lost, len(down))
        assert max(late.values()) <= RESTART_TARGET_SECONDS, late
        return {
            "database": database,
            "posts_at_kill": at_kill,
            "claimed_at_kill": claimed,
            "posted_but_unrecorded_at_kill": unrecorded,
            "posted": result.posted,
            "skipped": result.skipped,
            "duplicates": result.duplicates,
            "lost": result.lost,
            "responded_while_down": by_platform,
            "reactions_lost": lost["reactions"],
            "replies_lost": lost["replies"],
            "max_late_after_restart_s": {p.value: round(s, 1) for p, s in late.items()},
        }
    finally:
        await slack.stop()
        await discord.stop()


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(TRIALS))
@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=POSTGRES)])
async def test_kill_9_mid_fan_out_posts_each_slot_exactly_once(
    tmp_path: Path, trial: int, database: str
) -> None:
    rng = random.Random(SEED + trial)
    figures = await run_trial(tmp_path, rng, database)
    print(f"trial {trial}: {figures}")
