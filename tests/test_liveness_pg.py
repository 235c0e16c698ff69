"""PostgreSQL: a worker whose session died (kill -9) has its claims taken over by another
worker at once, through its free advisory lock; a live worker's claims keep their lease."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app.alarm import Alarm
from bot.core.domain import PostStatus
from bot.core.ports import PlatformError
from bot.delivery.deliverer import Deliverer, DeliveryConfig
from bot.engagement.members import MemberKeys
from bot.learning.selection import UniformPolicy
from bot.service_layer.services import Tigerbird
from bot.storage.engine import make_engine, make_sessions
from bot.storage.liveness import LOCK_CLASS, PgLiveness, _key
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FakePlatform, FrozenClock
from tests.conftest import require_postgres, truncate_all
from tests.helpers import daily, drafts

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HELD = (
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND classid::bigint = :c AND objid::bigint = :k"
)


def pg_worker(
    engine: AsyncEngine, clock: FrozenClock, platform: FakePlatform, liveness: PgLiveness
) -> Tigerbird:
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    platforms = {platform.name: platform}
    policy = UniformPolicy(np.random.default_rng(1))
    deliverer = Deliverer(uow, platforms, policy, clock, DeliveryConfig(), liveness)
    return Tigerbird(uow, platforms, policy, clock, MemberKeys(b"k"), deliverer)


async def kill_session_of(engine: AsyncEngine, worker_id: str) -> None:
    """What kill -9 does to a worker's database session: PostgreSQL ends it, and with it
    every session lock it held, without the worker releasing anything."""
    params = {"c": LOCK_CLASS, "k": _key(worker_id) & 0xFFFFFFFF}
    async with engine.connect() as conn:
        [pid] = (await conn.execute(text(HELD), params)).scalars().all()
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await conn.commit()
        async with asyncio.timeout(10):  # polling: the backend exits asynchronously
            while (await conn.execute(text(HELD), params)).first():  # noqa: ASYNC110
                await asyncio.sleep(0.05)


async def test_a_killed_workers_claims_are_taken_over_at_once_a_live_ones_keep_the_lease() -> None:
    url = require_postgres()
    engines = [make_engine(url), make_engine(url)]
    await truncate_all(engines[0])
    clock = FrozenClock(MONDAY_8)
    platform = FakePlatform(clock=clock)
    lives = [await PgLiveness(e, heartbeat=0.2).start() for e in engines]
    try:
        first = pg_worker(engines[0], clock, platform, lives[0])
        second = pg_worker(engines[1], clock, platform, lives[1])
        await first.sync_library(drafts(20))
        schedules = [await daily(first, channel=f"C{i}") for i in range(3)]
        clock.advance(timedelta(hours=1))
        # The first worker posts one slot but dies before recording it, fails one
        # transiently, and posts the third.
        platform.lose_reply = True
        platform.fail_next = [PlatformError("503")]
        await first.post_due()
        claimed = [p for s in schedules for p in await first.posts_of(s.id)]
        assert sorted(p.status.value for p in claimed) == ["claimed", "claimed", "sent"]
        assert {p.claimed_by for p in claimed} == {lives[0].worker_id}
        clock.advance(timedelta(seconds=5))  # far inside the 2-minute lease

        assert await second.recover() == 0  # the first worker is alive: its lease holds
        dead_id = lives[0].worker_id
        await kill_session_of(engines[1], dead_id)
        assert await second.recover() == 2  # provably dead: taken over without the lease

        posts = [p for s in schedules for p in await second.posts_of(s.id)]
        assert [p.status for p in posts] == [PostStatus.SENT] * 3
        assert len(platform.messages) == 3  # the unrecorded one found by marker, not reposted
        # The survivor of the kill (a worker whose session was cut) comes back under a new id.
        async with asyncio.timeout(10):  # polling: its heartbeat notices within 0.2 s
            while not (lives[0].alive and lives[0].worker_id != dead_id):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        assert await second.recover() == 0
    finally:
        for liveness in lives:
            await liveness.close()
        for engine in engines:
            await engine.dispose()


async def test_a_worker_that_lost_its_lock_does_not_post() -> None:
    url = require_postgres()
    engine = make_engine(url)
    await truncate_all(engine)
    clock = FrozenClock(MONDAY_8)
    platform = FakePlatform(clock=clock)
    liveness = await PgLiveness(engine, heartbeat=60).start()
    try:
        service = pg_worker(engine, clock, platform, liveness)
        await service.sync_library(drafts(20))
        schedule = await daily(service)
        clock.advance(timedelta(hours=1))
        await liveness._drop()  # its lock is gone: another worker may take its claims now
        await service.post_due()
        assert platform.messages == []
        assert [p.status for p in await service.posts_of(schedule.id)] == [PostStatus.CLAIMED]
    finally:
        await liveness.close()
        await engine.dispose()


async def test_a_surviving_worker_takes_a_dead_ones_claims_over_within_seconds() -> None:
    url = require_postgres()
    engines = [make_engine(url), make_engine(url)]
    await truncate_all(engines[0])
    clock = FrozenClock(MONDAY_8)  # frozen: the lease never runs out in this test
    platform = FakePlatform(clock=clock)
    lives = [await PgLiveness(e, heartbeat=0.2).start() for e in engines]
    alarm: Alarm | None = None
    try:
        first = pg_worker(engines[0], clock, platform, lives[0])
        second = pg_worker(engines[1], clock, platform, lives[1])
        await first.sync_library(drafts(20))
        schedule = await daily(first)
        clock.advance(timedelta(hours=1))
        platform.fail_next = [PlatformError("503")]
        await first.post_due()  # left claimed by the first worker, which then dies
        alarm = Alarm(second, recovery_tick=timedelta(seconds=0.2))
        alarm.start()
        await kill_session_of(engines[1], lives[0].worker_id)
        async with asyncio.timeout(10):  # polling: the survivor's recovery tick
            while not platform.messages:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        [post] = await second.posts_of(schedule.id)
        assert post.status is PostStatus.SENT and post.claimed_by == lives[1].worker_id
    finally:
        if alarm is not None:
            alarm.stop()
        for liveness in lives:
            await liveness.close()
        for engine in engines:
            await engine.dispose()
