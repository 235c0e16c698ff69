"""Footprint: RSS and start-up-to-ready of `python -m bot.app.cli.main run` on a database with
10,000 schedules and 100,000 posts of history (SQLite and PostgreSQL), then the pick (claim)
cost per slot when all 10,000 are due, and the peak RSS of the process that posted them.

    .venv/bin/python -m benchmarks.footprint [--schedules 10000] [--history 10]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench] [--phases]

`--phases` also prints where start-up time and memory go (tests/scale/startup_phases.py):
each dependency's import, then each start-up step on the seeded database.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.scale.footprint import measure_start, pick_latencies, seed
from tests.scale.workers import ROOT, reset_database

READY_TARGET_S, RSS_TARGET_MB = 3.0, 150.0


def phase_report(*args: str) -> list[str]:
    """tests/scale/startup_phases.py in a fresh interpreter."""
    command = [sys.executable, "-m", "tests.scale.startup_phases", *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return ["  " + line for line in done.stdout.splitlines()]


async def bench(url: str, schedules: int, history: int, phases: bool) -> list[str]:
    await reset_database(url) if url.startswith("postgresql") else None
    due_at = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    started = time.monotonic()
    await seed(url, schedules, history, due_at)
    name = url.split("+")[0]
    lines = [f"{name}: seeded {schedules} schedules, {schedules * history} posts "
             f"in {time.monotonic() - started:.1f}s"]  # fmt: skip
    start = await measure_start(url)
    ready, rss, peak = start.seconds_to_ready, start.rss_mb, start.peak_rss_mb
    lines.append(f"{name}: start-up to ready {ready:.2f}s (target <= 3 s), RSS 5 s after "
                 f"ready {rss:.0f} MB, peak {peak:.0f} MB (target <= 150)")  # fmt: skip
    if phases:
        lines += [f"{name}: start-up step by step", *phase_report(url)]
    engine = make_engine(url)
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    started = time.monotonic()
    per_slot, posted = await pick_latencies(uow, due_at)
    elapsed = time.monotonic() - started
    await engine.dispose()
    ms = np.array(per_slot) * 1000
    lines.append(f"{name}: claimed+posted {posted} slots in {elapsed:.1f}s; pick (claim) per slot "
                 f"p50 {np.percentile(ms, 50):.2f} ms, p99 {np.percentile(ms, 99):.2f} ms "
                 "(per batch of 200)")  # fmt: skip
    bench_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"{name}: peak RSS of this (benchmark) process after posting them: "
                 f"{bench_peak:.0f} MB")  # fmt: skip
    verdict = (f"{name}: ready/target {ready / READY_TARGET_S:.2f}, RSS/target "
               f"{rss / RSS_TARGET_MB:.2f}, peak/target {peak / RSS_TARGET_MB:.2f}")  # fmt: skip
    return [*lines, verdict]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=10000)
    parser.add_argument("--history", type=int, default=10, help="posts per schedule")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--phases", action="store_true", help="also time each start-up step")
    args = parser.parse_args()
    if args.phases:
        print("imports, one at a time", *phase_report("--imports"), sep="\n", flush=True)
    verdicts = []
    with tempfile.TemporaryDirectory() as folder:
        for url in (f"sqlite+aiosqlite:///{folder}/footprint.db", args.postgres):
            if url.startswith("sqlite"):
                from bot.storage.engine import upgrade

                upgrade(url)
            *lines, verdict = await bench(url, args.schedules, args.history, args.phases)
            print(*lines, sep="\n", flush=True)
            verdicts.append(verdict)
    print(*verdicts, sep="\n")


if __name__ == "__main__":
    asyncio.run(main())
