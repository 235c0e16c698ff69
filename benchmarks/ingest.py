"""Ingestion benchmark: reaction/reply events per second through the shipped service path,
`Tigerbird.handle_event` (group commit, bulk statements), into SQLite and PostgreSQL, open
loop at a fixed offered rate; p50/p99 latency from arrival to committed. For comparison, one
transaction per event (`--baseline-events`, 0 to skip).

    .venv/bin/python -m benchmarks.ingest [--events 10000] [--rate 2000]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench] [--only postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
from collections.abc import Sequence

from sqlalchemy import text

from bot.core.domain import EngagementEvent
from bot.service_layer.services import Tigerbird
from bot.storage.engine import make_engine, make_sessions, upgrade
from bot.storage.models import Base
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.scale.ingest import SLOT, IngestFigures, make_events, run_ingest, seed_posts, stored

TARGET_P99_MS = 50.0


def line(database: str, figures: IngestFigures, sent: int, kept: int, batches: int) -> str:
    return (
        f"{database:<12}{figures.label:<30}{figures.rate:>10.0f}{figures.percentile(50):>9.1f}"
        f"{figures.percentile(99):>9.1f}{figures.percentile(100):>9.1f}{f'{kept}/{sent}':>14}"
        f"{sent / max(batches, 1):>10.1f}"
    )


class CountingRecorder:
    """Counts the transactions (batches) the service records events in."""

    def __init__(self, service: Tigerbird) -> None:
        self.record = service.engagement.record
        self.batches = 0

    async def __call__(self, events: Sequence[EngagementEvent]) -> None:
        self.batches += 1
        await self.record(events)


async def bench(url: str, args: argparse.Namespace) -> tuple[list[str], IngestFigures]:
    upgrade(url)
    engine = make_engine(url)
    database = url.split("+")[0]
    if database == "postgresql":
        names = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    service, _ = make_service(uow, FrozenClock(SLOT))
    service.events.max_batch = args.max_batch
    counter = CountingRecorder(service)
    service.engagement.record = counter  # type: ignore[method-assign]
    placed = await seed_posts(service, args.posts)
    await run_ingest(service, make_events(placed, 200, 10**7), 0)  # warm the pool and caches
    before = await stored(uow)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()  # start-up objects are never garbage: keep them out of every collection
    lines = []
    events = make_events(placed, args.events, 0)
    counter.batches = 0
    shipped = await run_ingest(service, events, args.rate)
    kept = await stored(uow) - before
    lines.append(line(database, shipped, len(events), kept, counter.batches))
    if args.baseline_events:
        before += kept
        events = make_events(placed, args.baseline_events, args.events)
        baseline = await run_ingest(service, events, args.rate, grouped=False)
        kept = await stored(uow) - before
        lines.append(line(database, baseline, len(events), kept, len(events)))
    await service.close()
    await engine.dispose()
    gc.unfreeze()
    return lines, shipped


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--rate", type=float, default=2000.0, help="offered events/s")
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--baseline-events", type=int, default=2000)
    parser.add_argument("--max-batch", type=int, default=500)
    parser.add_argument("--no-gc-freeze", dest="gc_freeze", action="store_false")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/bench")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite+aiosqlite:///{folder}/ingest.db", args.postgres]
        urls = [u for u in urls if args.only is None or u.startswith(args.only)]
        print(f"offered {args.rate:.0f} events/s, {args.events} events through handle_event")
        print(
            f"{'database':<12}{'mode':<30}{'events/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'max ms':>9}{'stored/sent':>14}{'per tx':>10}",
            flush=True,
        )
        results = []
        for url in urls:
            lines, shipped = await bench(url, args)
            print("\n".join(lines), flush=True)
            results.append((url.split("+")[0], shipped))
    for database, shipped in results:
        offered = f"{shipped.rate / args.rate:.3f}" if args.rate else "n/a (all at once)"
        print(
            f"{database}: handle_event p99 / {TARGET_P99_MS:.0f} ms target: "
            f"{shipped.percentile(99) / TARGET_P99_MS:.2f}, achieved / offered rate: {offered}"
        )


if __name__ == "__main__":
    asyncio.run(main())
