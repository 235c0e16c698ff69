"""CI-sized footprint: `run` reaches ready on a database with history, and every due slot
of many schedules is claimed and posted exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.scale.footprint import measure_start, pick_latencies, seed


async def test_run_starts_on_history_and_every_due_slot_is_claimed_once(sqlite_url: str) -> None:
    due_at = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    await seed(sqlite_url, 300, 8, due_at)  # 2,400 outcomes: the replay reads two chunks
    start = await measure_start(sqlite_url, settle=0.0, log_level="INFO")
    assert start.rss_mb > 0
    assert any("learning: replayed 2400 outcome(s)" in line for line in start.output)
    engine = make_engine(sqlite_url)
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    per_slot, posted = await pick_latencies(uow, due_at)
    async with uow() as u:
        slots = Counter(
            (p.schedule_id, p.slot_at)
            for p in await u.posts.all()
            if p.slot_at > due_at - timedelta(days=1)
        )
    await engine.dispose()
    # the 300 seeded schedules plus the console schedule `run` created (due by then too)
    assert posted == len(slots) >= 300 and set(slots.values()) == {1}
    assert len(per_slot) >= 2  # more than one batch of 200
