"""Footprint: a database with many schedules and a long post history; the resident memory
and start-up time of `python -m bot.app.cli.main run` on it; the cost of picking per slot."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from bot.core.domain import CatchUp, PlatformName, PromptSource, ScheduleSpec
from bot.core.ports import Clock, UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer, Delivery
from bot.learning.selection import Policy, UniformPolicy
from bot.storage.engine import make_engine
from bot.storage.mapping import spec_to_columns
from bot.storage.models import CommunityRow, PostRow, PromptRow, ScheduleRow
from bot.testing.platform import FakePlatform, FrozenClock
from tests.scale.workers import READY_LINE, ROOT
from tests.scale.worlds import CHOICES, PROMPTS

CHUNK = 5000


async def seed(url: str, schedules: int, posts_per_schedule: int, due_at: datetime) -> None:
    """Schedules (due at `due_at`) in 100-channel Discord servers, each with a sent history
    of `posts_per_schedule` daily posts before `due_at`; bulk inserted."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    spec = spec_to_columns(ScheduleSpec(times=(due_at.time(),), timezone="UTC"))
    async with engine.begin() as conn:
        prompts = [
            dict(key=f"scale/{i}", text=f"Tea or coffee, take {i}?", category="food", tags=[],
                 choices=[[c.emoji, c.label] for c in CHOICES], source=PromptSource.BUILTIN.value,
                 status="active", created_at=now)
            for i in range(PROMPTS)
        ]  # fmt: skip
        await conn.execute(insert(PromptRow), prompts)
        servers = (schedules + 99) // 100
        await conn.execute(insert(CommunityRow), [
            dict(platform=PlatformName.DISCORD.value, external_id=str((3000 + g) << 22),
                 name=f"guild {g}", manager_ids=[], manager_role_ids=[], created_at=now)
            for g in range(servers)
        ])  # fmt: skip
        rows = [
            dict(community_id=1 + s // 100, channel=str(10_000 + s), **spec,
                 catch_up=CatchUp.LATEST.value, catch_up_limit=3, paused=False, thread=True,
                 pin=False, categories=[], repeat_window_days=60, next_slot_at=due_at,
                 digest=False, digest_weekday=0, digest_time="09:00", created_at=now)
            for s in range(schedules)
        ]  # fmt: skip
        for start in range(0, len(rows), CHUNK):
            await conn.execute(insert(ScheduleRow), rows[start : start + CHUNK])
        history = [
            dict(schedule_id=1 + s, prompt_id=1 + (s + d) % PROMPTS,
                 slot_at=due_at - timedelta(days=d + 1), status="sent", marker=f"tb:{s}:{d}",
                 message_id=f"m{s}-{d}", thread_id=f"m{s}-{d}", claimed_at=now,
                 posted_at=due_at - timedelta(days=d + 1), attempts=0, responders=d % 7,
                 audience=40, outcome_at=due_at - timedelta(days=d))
            for s in range(schedules)
            for d in range(posts_per_schedule)
        ]  # fmt: skip
        for start in range(0, len(history), CHUNK):
            await conn.execute(insert(PostRow), history[start : start + CHUNK])
    await engine.dispose()


@dataclass
class StartUp:
    seconds_to_ready: float
    rss_mb: float
    peak_rss_mb: float
    output: list[str]  # what `run` printed and logged up to ready


def _rss_mb(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def measure_start(url: str, settle: float = 5.0, log_level: str = "WARNING") -> StartUp:
    """Start `run` (console platform: no token set), time it to ready, read its RSS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(DATABASE_URL=url, PYTHONUNBUFFERED="1", TIGERBIRD_LOG_LEVEL=log_level)
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.app.cli.main", "run", cwd=ROOT, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert proc.stdout is not None
    seen = []
    try:
        async with asyncio.timeout(120):
            while READY_LINE not in (line := (await proc.stdout.readline()).decode()):
                seen.append(line)
                if not line:
                    raise RuntimeError("run exited:\n" + "".join(seen))
        ready = time.monotonic() - started
        await asyncio.sleep(settle)
        rss, peak = _rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(20):
                await proc.communicate()
        except TimeoutError:
            proc.kill()
    return StartUp(ready, rss, peak, seen)


async def pick_latencies(uow: UnitOfWorkFactory, due_at: datetime) -> tuple[list[float], int]:
    """Claim (pick included) every due slot; seconds per slot for each claimed batch, and
    how many slots were posted (FakePlatform: no network in the way)."""
    clock = FrozenClock(due_at + timedelta(seconds=1))
    platform = FakePlatform(PlatformName.DISCORD, clock)
    policy = UniformPolicy(np.random.default_rng(3))
    deliverer = TimedDeliverer(uow, platform, policy, clock)
    posted = await deliverer.post_due()
    return deliverer.per_slot, posted


class TimedDeliverer(Deliverer):
    """The shipped deliverer, timing each claimed batch (pick included) per slot."""

    def __init__(
        self, uow: UnitOfWorkFactory, platform: FakePlatform, policy: Policy, clock: Clock
    ) -> None:
        super().__init__(uow, {platform.name: platform}, policy, clock)
        self.per_slot: list[float] = []

    async def _claim_batch(self) -> tuple[list[Delivery], int]:
        started = time.perf_counter()
        deliveries, seen = await super()._claim_batch()
        if deliveries:
            self.per_slot.append((time.perf_counter() - started) / len(deliveries))
        return deliveries, seen
