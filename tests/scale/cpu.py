"""CPU accounting for the workers benchmark (Linux /proc): who used the two cores while the
slots were being posted: the workers, PostgreSQL, the benchmark's own fake, the whole machine."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def postgres_cpu() -> float:
    """CPU seconds of every running postgres process (the server and its backends)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if comm.startswith("postgres"):
                total += process_cpu(int(entry.name))
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, all cores, since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICK, sum(values) / TICK


@dataclass
class CpuSnapshot:
    workers: float
    postgres: float
    harness: float
    busy: float
    total: float

    @classmethod
    def take(cls, worker_pids: list[int]) -> CpuSnapshot:
        busy, total = machine_busy()
        return cls(
            sum(process_cpu(p) for p in worker_pids),
            postgres_cpu(),
            time.process_time(),
            busy,
            total,
        )


@dataclass
class CpuUse:
    """CPU seconds spent between two snapshots, and the machine's busy cores on average."""

    workers: float
    postgres: float
    harness: float
    busy_cores: float

    @classmethod
    def between(cls, start: CpuSnapshot, end: CpuSnapshot) -> CpuUse:
        wall = (end.total - start.total) / (os.cpu_count() or 1)
        return cls(
            end.workers - start.workers,
            end.postgres - start.postgres,
            end.harness - start.harness,
            (end.busy - start.busy) / wall if wall else 0.0,
        )
