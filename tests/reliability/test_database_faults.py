"""The database goes away mid-run (PostgreSQL behind a cut TCP proxy) or is locked by
another writer (SQLite): the bot keeps running, retries, and posts what was due exactly once."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.app.alarm import Alarm
from bot.app.bootstrap import build_core, open_database
from bot.core.domain import PlatformName, PostStatus
from bot.library import load_packs
from bot.testing.platform import FakePlatform
from tests.conftest import require_postgres, truncate_all
from tests.reliability.bot_process import start_bot
from tests.reliability.chaos_proxy import ChaosProxy
from tests.reliability.integrity import database_problems, tally
from tests.reliability.world import World, seed, sqlite_url, start_fakes

CUT_SECONDS = float(os.environ.get("RELIABILITY_DB_CUT_SECONDS", "5"))
CHANNELS = 10


def through(url: str, port: int) -> str:
    parts = urlsplit(url)
    host = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{host}127.0.0.1:{port}"))


@pytest.mark.postgres
@pytest.mark.slow
async def test_postgres_cut_while_slots_fall_due(tmp_path: Path) -> None:
    direct = require_postgres()
    from bot.storage.engine import make_engine

    engine = make_engine(direct)
    await truncate_all(engine)
    await engine.dispose()
    proxy = ChaosProxy(urlsplit(direct).port or 5432)
    await proxy.start()
    slack, discord, slack_channels, discord_channels = await start_fakes(CHANNELS)
    world = World(slack, discord, through(direct, proxy.port), direct_database_url=direct)
    try:
        due = datetime.now(UTC) + timedelta(seconds=8)
        channels = {PlatformName.SLACK: slack_channels, PlatformName.DISCORD: discord_channels}
        await seed(world, channels, late_every=0, due_at=due)
        bot = await start_bot(world.env(), tmp_path)
        proxy.cut()  # down before the slots fall due, for CUT_SECONDS
        await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + CUT_SECONDS)
        assert world.total_prompts() == 0
        proxy.restore()
        async with asyncio.timeout(90):
            # polling: the bot retries on its safety tick (30 s)
            while world.total_prompts() < 2 * CHANNELS or await database_problems(direct):
                assert bot.process.returncode is None, bot.text[-3000:]
                await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)
        assert await bot.stop() == 0
        result, problems = await tally(world)
        assert problems == []
        assert (result.posted, result.duplicates, result.lost) == (2 * CHANNELS, 0, 0)
        assert "posting batch failed" in bot.text  # it did notice, and survived
    finally:
        await proxy.stop()
        await slack.stop()
        await discord.stop()


async def test_sqlite_locked_by_another_writer_is_waited_out(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    slack, discord, _, _ = await start_fakes(1)
    await slack.stop()
    await discord.stop()
    world = World(slack, discord, url)
    engine, uow = await open_database(world.settings())
    core = await build_core(uow, world.settings())
    platform = FakePlatform(PlatformName.SLACK)
    core.platforms[PlatformName.SLACK] = platform
    packs = load_packs(world.settings().tigerbird_prompts_dir)
    await core.service.sync_library([d for p in packs for d in p.drafts])
    await seed(world, {PlatformName.SLACK: [f"C{n}" for n in range(20)]}, late_every=0)
    other = sqlite3.connect(tmp_path / "tigerbird.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock...
    other.execute("UPDATE prompts SET category = category")
    asyncio.get_running_loop().call_later(3.0, other.execute, "COMMIT")  # ...for 3 s
    alarm = Alarm(core.service)
    try:
        await alarm.tick()
    finally:
        other.close()
    async with uow() as u:
        statuses = [p.status for p in await u.posts.all()]
    await engine.dispose()
    assert statuses == [PostStatus.SENT] * 20
    assert len(platform.posted_markers()) == 20
    assert alarm.batches == 1
