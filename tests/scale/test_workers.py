"""Several workers on one PostgreSQL: a worker dying mid-batch loses and duplicates nothing;
real `run` processes with split shards post every slot exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.domain import PostStatus, Target
from bot.core.ports import PromptMessage
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FakePlatform, FrozenClock
from tests.conftest import require_postgres, truncate_all
from tests.helpers import daily, drafts, make_service
from tests.scale.workers import run_scenario

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class DiesMidBatch(FakePlatform):
    """Posts `survive` messages, then posts one more and never answers (the process died
    between the platform accepting the message and the database recording it)."""

    def __init__(self, shared: FakePlatform, survive: int) -> None:
        super().__init__(shared.name, shared.clock, messages=shared.messages)
        self.survive = survive

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        target = await super().post(community, channel, message)
        self.survive -= 1
        if self.survive < 0:
            await asyncio.Event().wait()  # hangs until the task is cancelled ("killed")
        return target


async def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing() -> None:
    url = require_postgres()
    engines = [make_engine(url), make_engine(url)]
    await truncate_all(engines[0])
    clock = FrozenClock(MONDAY_9 - timedelta(hours=1))
    shared = FakePlatform(clock=clock)
    doomed, _ = make_service(SqlUnitOfWorkFactory(make_sessions(engines[0])), clock,
                             DiesMidBatch(shared, survive=7))  # fmt: skip
    survivor, _ = make_service(SqlUnitOfWorkFactory(make_sessions(engines[1])), clock, shared)
    await survivor.sync_library(drafts(40))
    for i in range(60):
        await daily(survivor, channel=f"C{i}")
    clock.set(MONDAY_9 + timedelta(seconds=5))
    dying = asyncio.create_task(doomed.post_due())
    while len(shared.messages) < 8:  # noqa: ASYNC110  (the doomed worker is mid-batch)
        await asyncio.sleep(0.01)
    dying.cancel()
    await asyncio.gather(dying, return_exceptions=True)
    await survivor.post_due()
    await survivor.recover(lease=timedelta(0))
    markers = Counter(shared.posted_markers())
    assert len(markers) == 60 and set(markers.values()) == {1}
    posts = [p for s in await survivor.list_schedules() for p in await survivor.posts_of(s.id)]
    assert len(posts) == 60 and {p.status for p in posts} == {PostStatus.SENT}
    for engine in engines:
        await engine.dispose()


async def test_two_run_processes_with_split_shards_post_each_slot_once(tmp_path: Path) -> None:
    url = require_postgres()
    run = await run_scenario(url, "ci", [[0], [1]], 2, 60, tmp_path, lead=8, give_up_after=60)
    assert (run.sent, run.duplicates, run.misses) == (60, 0, 0), run
