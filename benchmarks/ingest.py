"""Ingestion benchmark: reaction/reply events per second through Tigerbird.handle_event into
PostgreSQL and SQLite: one transaction per event, group commit through handle_events, and
group commit with bulk statements (tests/scale/bulk_ingest.py); p50/p99 handling latency.

    .venv/bin/python benchmarks/ingest.py [--events 10000] [--rate 2000]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bot.storage.engine import make_engine, make_sessions, upgrade
from bot.storage.models import Base
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.scale.bulk_ingest import BulkRecorder
from tests.scale.ingest import (
    SLOT,
    make_events,
    run_ingest,
    seed_posts,
    stored,
)


async def bench(url: str, events: int, rate: float, posts: int) -> list[str]:
    upgrade(url)
    engine = make_engine(url)
    if url.startswith("postgresql"):
        names = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    service, _ = make_service(uow, FrozenClock(SLOT))
    placed = await seed_posts(service, posts)
    bulk = BulkRecorder(uow.sessions, service.members)
    lines = []
    modes = ((False, None), (True, None), (True, bulk.record))
    for offset, (grouped, record) in enumerate(modes):
        batch = make_events(placed, events, offset * events)
        figures = await run_ingest(service, batch, rate, grouped, record)
        lines.append(
            f"{url.split('+')[0]:<12}{figures.label:<32}{figures.rate:>10.0f}"
            f"{figures.percentile(50):>10.1f}{figures.percentile(99):>10.1f}"
        )
    count = await stored(uow)
    lost = len(modes) * events - count
    lines.append(f"stored {count} of {len(modes) * events} events, {lost} lost")
    await engine.dispose()
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--rate", type=float, default=2000.0, help="offered events/s")
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/bench")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite+aiosqlite:///{folder}/ingest.db", args.postgres]
        print(f"offered {args.rate:.0f} events/s ({args.events} per mode, 0 = all at once)")
        print(f"{'database':<12}{'mode':<32}{'events/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
        for url in urls:
            for line in await bench(url, args.events, args.rate, args.posts):
                print(line, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
