"""The ingestion benchmark: reaction and reply events through Tigerbird's service layer
(`handle_event`, which groups concurrent events into one transaction) into a real database;
and, for comparison, one transaction per event."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as clock_time

import numpy as np

from bot.core.domain import (
    EngagementEvent,
    PlatformName,
    PostStatus,
    ReactionAdded,
    ReplyPosted,
    ScheduleSpec,
)
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.service_layer.services import Tigerbird

SLOT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EMOJI = ("🍵", "☕", "🐯")


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
    grouped: bool = True,
    connections: int = 15,
) -> IngestFigures:
    """Events arrive at `rate` per second (0: all at once), each handled in its own task as
    the gateway and HTTP adapters do; latency runs from arrival to committed. `grouped`: the
    shipped path, `Tigerbird.handle_event`; otherwise one transaction per event, at most
    `connections` at a time (the engine's pool)."""
    gate = asyncio.Semaphore(connections)
    latencies: list[float] = []

    async def handle(event: EngagementEvent, arrival: float) -> None:
        if grouped:
            await service.handle_event(event)
        else:
            async with gate:
                await service.engagement.record([event])
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
    label = "handle_event (group commit)" if grouped else "one transaction per event"
    return IngestFigures(label, len(events), elapsed, latencies)


async def stored(uow: UnitOfWorkFactory) -> int:
    """Responses stored across every post (each (post, member, kind, emoji) at most once)."""
    async with uow() as u:
        total = 0
        for post in await u.posts.all():
            responses = await u.responses.for_post(post.id)
            assert len({(m, k, e) for m, k, e, _ in responses}) == len(responses)
            total += len(responses)
        return total
