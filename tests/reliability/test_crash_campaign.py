"""kill -9 of a real `tigerbird run` during a 200-channel fan-out, then a restart: every slot
is posted exactly once (or skipped as its catch-up policy says) and the database is sound.

CI runs RELIABILITY_TRIALS=3 (the default); `make test-reliability` runs 20 seeded trials.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.bootstrap import open_database
from bot.domain import PlatformName, PostStatus
from tests.reliability.bot_process import BotProcess, start_bot
from tests.reliability.integrity import database_problems, tally
from tests.reliability.sizing import SEED, TRIALS
from tests.reliability.world import World, seed, sqlite_url, start_fakes

CHANNELS_PER_PLATFORM = 100  # 200 schedules due in the same minute
LATE_EVERY = 10  # plus every 10th one missed while "down": catch-up skip or latest
FINISH_TIMEOUT_SECONDS = 120.0


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


async def run_trial(tmp: Path, rng: random.Random) -> dict[str, int]:
    slack, discord, slack_channels, discord_channels = await start_fakes(CHANNELS_PER_PLATFORM)
    world = World(slack, discord, sqlite_url(tmp))
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

        second = await start_bot(world.env(), tmp)

        async def settled() -> bool:
            return not await database_problems(world.database_url) and (
                world.total_prompts() >= to_post
            )

        await wait_for(settled, "recovering", second)
        await asyncio.sleep(1.0)  # anything still in flight would show up as a duplicate
        assert await second.stop() == 0, second.text[-4000:]
        result, problems = await tally(world)
        assert problems == [], problems
        assert await database_problems(world.database_url) == []
        assert (result.duplicates, result.lost, result.unresolved) == (0, 0, 0)
        assert result.posted == to_post
        assert result.skipped == len(world.plan) - to_post
        assert slack.violations == []
        discord.assert_contract_kept()
        return {
            "posts_at_kill": at_kill,
            "claimed_at_kill": claimed,
            "posted_but_unrecorded_at_kill": unrecorded,
            "posted": result.posted,
            "skipped": result.skipped,
        }
    finally:
        await slack.stop()
        await discord.stop()


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(TRIALS))
async def test_kill_9_mid_fan_out_posts_each_slot_exactly_once(tmp_path: Path, trial: int) -> None:
    rng = random.Random(SEED + trial)
    figures = await run_trial(tmp_path, rng)
    print(f"trial {trial}: {figures}")
