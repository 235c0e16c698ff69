"""Several `python -m bot.app.cli.main run` workers on one PostgreSQL, posting to one fake
Discord hosted in this process, Discord shard ids split (or overlapping) between them."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.core.domain import PlatformName
from bot.storage.engine import make_engine, make_sessions, upgrade
from bot.storage.models import Base
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.discord.fake_discord_state import BOT_TOKEN
from tests.scale.cpu import CpuSnapshot, CpuUse
from tests.scale.limited_fakes import LimitedDiscord
from tests.scale.ratelimit import DiscordLimits
from tests.scale.worlds import (
    IndexedWorld,
    add_schedules,
    discord_counts,
    discord_places,
    duplicates_and_misses,
)

ROOT = Path(__file__).resolve().parents[2]
READY_LINE = "Tigerbird is running"


@dataclass
class WorkerRun:
    label: str
    workers: int
    posts: int
    elapsed: float = 0.0
    duplicates: int = 0
    misses: int = 0
    sent: int = 0
    notes: list[str] = field(default_factory=list)
    cpu: CpuUse | None = None

    @property
    def rate(self) -> float:
        return self.sent / self.elapsed if self.elapsed else 0.0


def worker_env(fake: LimitedDiscord, url: str, shards: list[int], count: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DATABASE_URL=url,
        DISCORD_TOKEN=BOT_TOKEN,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        DISCORD_SHARD_COUNT=str(count),
        DISCORD_SHARD_IDS=",".join(map(str, shards)),
        # this fake does not enforce Discord's limits: measure the workers, not the pacer
        DISCORD_REQUESTS_PER_SECOND="100000",
        TIGERBIRD_MEMBER_KEY="bench-member-key",
        TIGERBIRD_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


async def start_worker(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    """Start `python -m bot.app.cli.main run`; return once it says it is running."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.app.cli.main", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert proc.stdout is not None
    lines: list[str] = []
    async with asyncio.timeout(60):
        while True:
            line = (await proc.stdout.readline()).decode()
            if not line:
                raise RuntimeError("worker exited before it was ready:\n" + "".join(lines))
            lines.append(line)
            if READY_LINE in line:
                break
    await asyncio.to_thread(log.write_text, "".join(lines))
    asyncio.get_running_loop().create_task(_drain(proc, log))
    return proc


async def _drain(proc: asyncio.subprocess.Process, log: Path) -> None:
    assert proc.stdout is not None
    with log.open("a") as out:
        async for line in proc.stdout:
            out.write(line.decode())


async def reset_database(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    names = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()


async def count_sent(url: str) -> tuple[int, datetime | None]:
    engine = make_engine(url)
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("select count(*), max(posted_at) from posts where status='sent'")
            )
        ).one()
    await engine.dispose()
    return int(row[0]), row[1]


async def count_recovered(url: str) -> int:
    """Posts another worker took over after the lease (their attempts were counted)."""
    engine = make_engine(url)
    async with engine.connect() as conn:
        value = (await conn.execute(text("select count(*) from posts where attempts > 0"))).one()
    await engine.dispose()
    return int(value[0])


async def run_scenario(
    url: str,
    label: str,
    shard_sets: list[list[int]],
    shard_count: int,
    schedules: int,
    logs: Path,
    kill_after: float | None = None,
    lead: float = 25.0,
    give_up_after: float = 300.0,
) -> WorkerRun:
    """Workers with these shard sets post `schedules` slots due `lead` seconds from now.
    `kill_after`: SIGKILL the first worker once this share of the posts is sent."""
    await reset_database(url)
    fake = LimitedDiscord(DiscordLimits(speed=1000.0))  # headers only: limits never bind
    fake.world = fake.rest.world = IndexedWorld()
    await fake.start()
    places = discord_places(fake.world, schedules // 10, 10, first=2000)
    engine = make_engine(url)
    slot = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=lead)
    await add_schedules(SqlUnitOfWorkFactory(make_sessions(engine)), PlatformName.DISCORD,
                        places, slot)  # fmt: skip
    await engine.dispose()
    procs = []
    try:
        for i, shards in enumerate(shard_sets):
            env = worker_env(fake, url, shards, shard_count)
            procs.append(await start_worker(env, logs / f"{label}-{i}.log"))
        run = WorkerRun(label, len(shard_sets), len(places))
        pids = [proc.pid for proc in procs]
        late = (datetime.now(UTC) - slot).total_seconds()
        if late > 0:  # the workers took longer to start than the lead: CPU not comparable
            run.notes.append(f"workers ready {late:.1f} s after the slot")
        await asyncio.sleep(max(0.0, -late))
        before = CpuSnapshot.take(pids)
        killed = False
        deadline = time.monotonic() + give_up_after
        while time.monotonic() < deadline:
            sent, last = await count_sent(url)
            if kill_after is not None and not killed and sent >= kill_after * len(places):
                procs[0].send_signal(signal.SIGKILL)
                killed = True
                run.notes.append(f"worker 0 killed with {sent} of {len(places)} sent")
            if sent >= len(places) and last is not None:
                break
            await asyncio.sleep(0.5)
        run.cpu = CpuUse.between(before, CpuSnapshot.take(pids))
        run.sent, last = await count_sent(url)
        run.elapsed = (last - slot).total_seconds() if last else float("nan")
        if killed:
            run.notes.append(f"{await count_recovered(url)} of its claims resolved by the other")
        run.duplicates, run.misses = duplicates_and_misses(discord_counts(fake.world, places))
        return run
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                async with asyncio.timeout(20):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
        await fake.stop()
