"""Several workers: 1, 2 and 4 `python -m bot.app.cli.main run` processes on one PostgreSQL
sharing due slots (SKIP LOCKED), Discord shard ids split between them; then one worker
killed mid-batch, and two started with overlapping shards. Prints posts/s, duplicates and
misses per scenario, the speed-up over one worker last.

    .venv/bin/python -m benchmarks.workers [--schedules 3000]
        [--database postgresql+asyncpg://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from tests.scale.workers import WorkerRun, run_scenario

SCENARIOS = [
    ("1 worker", [[0, 1, 2, 3]], None),
    ("2 workers", [[0, 1], [2, 3]], None),
    ("4 workers", [[0], [1], [2], [3]], None),
    ("2, overlapping shards", [[0, 1, 2, 3], [0, 1, 2, 3]], None),
    ("2, one killed mid-batch", [[0, 1], [2, 3]], 0.05),
]


def line(run: WorkerRun) -> str:
    cpu = run.cpu
    use = (
        f"{cpu.workers:>14.1f}{cpu.postgres:>9.1f}{cpu.harness:>9.1f}{cpu.busy_cores:>7.2f}"
        if cpu
        else ""
    )
    return (
        f"{run.label:<26}{run.sent:>6}/{run.posts:<6}{run.elapsed:>10.1f}{run.rate:>10.0f}"
        f"{run.duplicates:>6}{run.misses:>6}{use}  {'; '.join(run.notes)}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=3000)
    parser.add_argument("--database", default="postgresql+asyncpg://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--only", default="", help="run the scenarios whose label has this")
    args = parser.parse_args()
    runs = []
    print(
        f"{'scenario':<26}{'sent':>13}{'elapsed s':>10}{'posts/s':>10}{'dup':>6}{'miss':>6}"
        f"{'cpu: workers':>14}{'postgres':>9}{'fake':>9}{'busy':>7}"
    )
    print("(CPU seconds while posting; busy = cores in use on average, of", os.cpu_count(), ")")
    with tempfile.TemporaryDirectory() as logs:
        for label, shards, kill in SCENARIOS:
            if args.only and args.only not in label:
                continue
            run = await run_scenario(
                args.database, label, shards, 4, args.schedules, Path(logs), kill_after=kill
            )
            runs.append(run)
            print(line(run), flush=True)
    by_label = {r.label: r for r in runs}
    if "1 worker" in by_label:
        one = by_label["1 worker"].rate
        for label in ("2 workers", "4 workers"):
            if label in by_label:
                print(f"{label} / 1 worker throughput: {by_label[label].rate / one:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
