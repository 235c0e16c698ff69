"""Two workers race the same due slots on PostgreSQL: exactly one post per slot."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FakePlatform, FrozenClock
from tests.conftest import require_postgres, truncate_all
from tests.helpers import daily, drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_two_workers_race_100_times_one_post_per_slot() -> None:
    url = require_postgres()
    engines = [make_engine(url), make_engine(url)]
    await truncate_all(engines[0])
    clock = FrozenClock(MONDAY_8)
    platform = FakePlatform(clock=clock)
    workers = [
        make_service(SqlUnitOfWorkFactory(make_sessions(e)), clock, platform, seed=i)[0]
        for i, e in enumerate(engines)
    ]
    await workers[0].sync_library(drafts(200))
    schedules = [await daily(workers[0], channel=f"C{i}") for i in range(5)]
    for _ in range(20):  # 20 days x 5 schedules = 100 due slots, each raced by both workers
        clock.advance(timedelta(days=1))
        await asyncio.gather(*(w.post_due() for w in workers))
    markers = platform.posted_markers()
    assert len(markers) == 100
    assert len(set(markers)) == 100
    for schedule in schedules:
        posts = await workers[1].posts_of(schedule.id)
        assert len(posts) == 20 and {p.status.value for p in posts} == {"sent"}
    for engine in engines:
        await engine.dispose()
