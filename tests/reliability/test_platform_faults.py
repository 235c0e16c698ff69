"""Platform faults injected through the fakes while a real `tigerbird run` fans out:
429 with Retry-After / retry_after, 500/502/503 (some after the message was made),
connection resets, gateway and Socket Mode drops, a slow platform (2 s per call); then
permanent errors (archived or deleted channel) that must pause and tell the managers once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from fake_discord_state import FakeChannel

from bot.app.bootstrap import build_core, open_database
from bot.core.domain import CatchUp, PlatformName, PostStatus, ScheduleSpec
from bot.core.ports import NewSchedule
from tests.reliability.bot_process import BotProcess, start_bot
from tests.reliability.chaos_proxy import ChaosProxy
from tests.reliability.integrity import database_problems, tally
from tests.reliability.sizing import LONG
from tests.reliability.world import SLACK_TEAM, World, seed, sqlite_url, start_fakes

MESSAGES = "/channels/{channel_id}/messages"
# discord.py retries 429 and 500/502 itself; a 503 surfaces, the row stays claimed, and
# recovery posts it after the claim lease (2 min): too slow for CI, so only the long run.
DISCORD_FAULTS = (429, 500, 502, 429, 503) if LONG else (429, 500, 502, 429)


async def settle(world: World, bot: BotProcess, expected: int, within: float = 90) -> None:
    try:
        async with asyncio.timeout(within):
            # polling: the child process posts asynchronously
            while world.total_prompts() < expected or await database_problems(world.check_url):
                assert bot.process.returncode is None, bot.text[-3000:]
                await asyncio.sleep(0.1)
    except TimeoutError:
        problems = await database_problems(world.check_url)
        raise AssertionError(
            f"{world.total_prompts()}/{expected}, {problems}\n{bot.text[-3000:]}"
        ) from None
    await asyncio.sleep(1.0)  # a late duplicate would show up now


async def test_transient_faults_are_survived_with_nothing_twice_and_nothing_lost(
    tmp_path: Path,
) -> None:
    slack, discord, slack_channels, discord_channels = await start_fakes(20)
    proxy = ChaosProxy(slack.port, reset_after_forward=3)  # 3 requests reset after delivery
    await proxy.start()
    world = World(slack, discord, sqlite_url(tmp_path))
    try:
        await seed(
            world, {PlatformName.SLACK: slack_channels, PlatformName.DISCORD: discord_channels}, 0
        )
        for status, channel in zip((429, 500, 502, 503), slack_channels, strict=False):
            slack.fail(
                "chat.postMessage",
                status=status,
                retry_after=1 if status == 429 else None,
                channel=channel,
            )
        for channel in slack_channels[4:8]:  # made the message, then answered 5xx
            slack.fail("chat.postMessage", status=503, after_success=True, channel=channel)
        for status in DISCORD_FAULTS:
            discord.inject("POST", MESSAGES, status, retry_after=0.5)
        env = world.env(SLACK_API_URL=f"http://127.0.0.1:{proxy.port}/api/")
        bot = await start_bot(env, tmp_path)
        await discord.drop_connections()  # gateway drop mid-run
        for ws in list(slack._sockets):  # Socket Mode drop mid-run
            await ws.close()
        await settle(world, bot, expected=40, within=240 if LONG else 90)
        assert slack.socket_connected, "Socket Mode reconnected"
        assert any(s.ws is not None and not s.ws.closed for s in discord.sessions.values())
        assert await bot.stop() == 0
        result, problems = await tally(world)
        assert problems == []
        assert (result.posted, result.duplicates, result.lost) == (40, 0, 0)
        assert proxy.resets == 3 and slack.failures and all(f.times == 0 for f in slack.failures)
        assert discord.rest.injected == []  # every injected Discord fault was served
        per_channel = [
            sum(c.params.get("channel") == ch for c in slack.calls_to("chat.postMessage"))
            for ch in slack_channels
        ]
        assert max(per_channel) <= 4, per_channel  # bounded: a few tries, not a loop
    finally:
        await proxy.stop()
        await slack.stop()
        await discord.stop()
    assert slack.violations == []
    discord.assert_contract_kept()


async def test_a_slow_platform_2_s_per_call_is_waited_for(tmp_path: Path) -> None:
    slack, discord, slack_channels, _ = await start_fakes(3)
    proxy = ChaosProxy(slack.port, delay=2.0)
    await proxy.start()
    world = World(slack, discord, sqlite_url(tmp_path))
    try:
        await seed(world, {PlatformName.SLACK: slack_channels}, 0)
        env = world.env(SLACK_API_URL=f"http://127.0.0.1:{proxy.port}/api/")
        bot = await start_bot(env, tmp_path)
        await settle(world, bot, expected=3, within=120)
        assert await bot.stop() == 0
        result, problems = await tally(world)
        assert problems == [] and (result.posted, result.duplicates, result.lost) == (3, 0, 0)
    finally:
        await proxy.stop()
        await slack.stop()
        await discord.stop()


async def test_permanent_errors_pause_and_tell_the_managers_once(tmp_path: Path) -> None:
    slack, discord, slack_channels, discord_channels = await start_fakes(1)
    world = World(slack, discord, sqlite_url(tmp_path))
    try:
        slack.channels[slack_channels[0]].is_archived = True
        guild = next(iter(discord.world.guilds.values()))
        gone = FakeChannel(int(discord_channels[0]) + 1, guild.id, "deleted-later")
        ids = await seed_missed_slots(
            world, {PlatformName.SLACK: slack_channels[0], PlatformName.DISCORD: str(gone.id)}
        )
        bot = await start_bot(world.env(), tmp_path)
        async with asyncio.timeout(60):
            # polling: wait until both schedules are paused by the bot
            while not await all_paused(world, ids):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        await asyncio.sleep(2.0)  # a second notice would arrive now
        assert await bot.stop() == 0
        slack_dms = [m for c in slack.channels.values() if c.is_im for m in c.messages]
        assert len(slack_dms) == 1, slack_dms
        assert len(discord.world.dms) == 1, discord.world.dms
        assert await database_problems(world.check_url) == []
        engine, uow = await open_database(world.settings())
        async with uow() as u:
            statuses = sorted(p.status for p in await u.posts.all())
        await engine.dispose()
        assert PostStatus.SENT not in statuses and PostStatus.CLAIMED not in statuses
    finally:
        await slack.stop()
        await discord.stop()


async def seed_missed_slots(world: World, channels: dict[PlatformName, str]) -> list[int]:
    """Per platform one schedule, catch-up all, with three slots missed: three posts at once."""
    engine, uow = await open_database(world.settings())
    core = await build_core(uow, world.settings())
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    slots = [now - timedelta(minutes=m) for m in (50, 40, 30)]
    times = tuple(time(s.hour, s.minute) for s in slots)
    communities = {
        PlatformName.SLACK: SLACK_TEAM,
        PlatformName.DISCORD: str(next(iter(world.discord.world.guilds))),
    }
    ids = []
    for platform, channel in channels.items():
        new = NewSchedule(
            0,
            channel,
            ScheduleSpec(times=times),
            catch_up=CatchUp.ALL,
            catch_up_limit=3,
            thread=False,
        )
        schedule, _ = await core.service.add_schedule(platform, communities[platform], new)
        schedule.next_slot_at = slots[0]
        async with uow() as u:
            await u.schedules.update(schedule)
            await u.commit()
        ids.append(schedule.id)
    await engine.dispose()
    return ids


async def all_paused(world: World, ids: list[int]) -> bool:
    engine, uow = await open_database(world.settings())
    async with uow() as u:
        schedules = [await u.schedules.get(i) for i in ids]
    await engine.dispose()
    return all(s is not None and s.paused for s in schedules)
