"""The ingestion benchmark: reaction and reply events through Tigerbird's service layer into
a real database, one transaction per event or grouped (group commit)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as clock_time

import numpy as np

from bot.domain import (
    EngagementEvent,
    PlatformName,
    PostStatus,
    ReactionAdded,
    ReplyPosted,
    ScheduleSpec,
)
from bot.ports import NewSchedule, UnitOfWorkFactory
from bot.services import Tigerbird

SLOT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Record = Callable[[list[EngagementEvent]], Awaitable[None]]
EMOJI = ("🍵", "☕", "🐯")


class GroupCommit:
    """Queues events and stores whatever has gathered in one transaction; each caller's
    `submit` returns only after the transaction holding its event committed, so an adapter
    that acknowledges after `submit` never acknowledges a lost event."""

    def __init__(self, record: Record, max_batch: int = 500) -> None:
        self._record = record
        self._max_batch = max_batch
        self._queue: list[tuple[EngagementEvent, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, event: EngagementEvent) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((event, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            try:
                await self._record([event for event, _ in batch])
            except Exception as error:
                for _, done in batch:
                    done.set_exception(error)
            else:
                for _, done in batch:
                    done.set_result(None)


@dataclass
class IngestFigures:
    label: str
    events: int
    elapsed: float
    latencies: list[float] = field(default_factory=list)
    stored: int = 0
    expected: int = 0

    @property
    def rate(self) -> float:
        return self.events / self.elapsed

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies, q)) * 1000


async def seed_posts(service: Tigerbird, posts: int) -> list[tuple[str, str]]:
    """`posts` sent posts in as many channels of one Discord server: (channel, message id)."""
    spec = ScheduleSpec(times=(clock_time(9, 0),), timezone="UTC")
    placed = []
    async with service.uow() as u:
        community = await u.communities.ensure(PlatformName.DISCORD, "G1")
        for i in range(posts):
            schedule = await u.schedules.add(NewSchedule(community.id, f"C{i}", spec), None)
            post = await u.posts.claim(schedule.id, SLOT, f"tb:{i}", None, None, SLOT)
            assert post is not None
            post.status, post.message_id, post.thread_id = PostStatus.SENT, f"M{i}", f"T{i}"
            await u.posts.update(post)
            placed.append((f"C{i}", f"M{i}"))
        await u.commit()
    return placed


def make_events(placed: list[tuple[str, str]], count: int, offset: int) -> list[EngagementEvent]:
    """Two reactions for every reply, spread over the posts; every event is distinct."""
    events: list[EngagementEvent] = []
    for i in range(offset, offset + count):
        channel, message = placed[i % len(placed)]
        member, at = f"U{i}", SLOT
        if i % 3 == 2:
            events.append(ReplyPosted(PlatformName.DISCORD, "G1", channel, "T" + message[1:],
                                      member, at))  # fmt: skip
        else:
            events.append(ReactionAdded(PlatformName.DISCORD, "G1", channel, message, member,
                                        EMOJI[i % 2], at))  # fmt: skip
    return events


async def run_ingest(
    service: Tigerbird,
    events: list[EngagementEvent],
    rate: float,
    grouped: bool,
    record: Record | None = None,
    connections: int = 15,
) -> IngestFigures:
    """Events arrive at `rate` per second (0: all at once), each handled in its own task as
    the gateway and HTTP adapters do; latency runs from arrival to stored. `grouped`: through
    GroupCommit, recording with `record` (default: service.handle_events); otherwise one
    transaction per event, at most `connections` at a time (the engine's pool)."""
    queue = GroupCommit(record or service.handle_events) if grouped else None
    gate = asyncio.Semaphore(connections)
    latencies: list[float] = []

    async def handle(event: EngagementEvent, arrival: float) -> None:
        if queue is not None:
            await queue.submit(event)
        else:
            async with gate:
                await service.handle_event(event)
        latencies.append(time.perf_counter() - arrival)

    started = time.perf_counter()
    tasks = []
    for i, event in enumerate(events):
        arrival = started + (i / rate if rate else 0.0)
        if (wait := arrival - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(handle(event, arrival)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    label = "one transaction per event"
    if grouped:
        label = "group commit, bulk statements" if record else "group commit, handle_events"
    return IngestFigures(label, len(events), elapsed, latencies)


async def stored(uow: UnitOfWorkFactory) -> int:
    """Responses stored across every post."""
    async with uow() as u:
        total = 0
        for post in await u.posts.all():
            total += len(await u.responses.for_post(post.id))
        return total
