"""Group commit behind Tigerbird.handle_event: a caller returns only once its event is
committed; a failed commit fails every caller of its group; one bad event fails only its
own caller; shutdown drains the queue."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from bot.core.domain import EngagementEvent, MemberSeen, PlatformName
from bot.core.ports import (
    UnitOfWork,
    UnitOfWorkFactory,
)
from bot.engagement.batcher import EventBatcher
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.scale.ingest import SLOT, make_events, seed_posts, stored


def seen(member: str) -> EngagementEvent:
    return MemberSeen(PlatformName.DISCORD, "G1", "C1", member, SLOT)


class GatedRecorder:
    """Records batches, each only once the test opens the gate; refuses poisoned members."""

    def __init__(self, poison: str = "") -> None:
        self.gate = asyncio.Event()
        self.batches: list[list[str]] = []
        self.poison = poison

    async def __call__(self, events: Sequence[EngagementEvent]) -> None:
        await self.gate.wait()
        if any(e.member_id == self.poison for e in events):
            raise ValueError("value too long for type character varying(64)")
        self.batches.append([e.member_id for e in events])

    @property
    def recorded(self) -> list[str]:
        return [m for batch in self.batches for m in batch]


async def test_submit_returns_only_after_its_batch_is_recorded() -> None:
    recorder = GatedRecorder()
    batcher = EventBatcher(recorder)
    first = asyncio.create_task(batcher.submit(seen("a")))
    await asyncio.sleep(0)
    others = [asyncio.create_task(batcher.submit(seen(m))) for m in "bcd"]
    await asyncio.sleep(0.01)
    assert not first.done() and not any(t.done() for t in others)
    recorder.gate.set()
    await asyncio.gather(first, *others)
    assert recorder.batches == [["a"], ["b", "c", "d"]]  # gathered while "a" was written


async def test_a_bad_event_fails_only_its_caller() -> None:
    recorder = GatedRecorder(poison="bad")
    recorder.gate.set()
    batcher = EventBatcher(recorder)
    members = ["a", "b", "bad", "c"]
    results = await asyncio.gather(
        *(batcher.submit(seen(m)) for m in members), return_exceptions=True
    )
    assert [type(r).__name__ for r in results] == ["NoneType", "NoneType", "ValueError", "NoneType"]
    assert sorted(recorder.recorded) == ["a", "b", "c"]


async def test_shutdown_records_every_queued_event() -> None:
    recorder = GatedRecorder()
    batcher = EventBatcher(recorder, max_batch=2)
    callers = [asyncio.create_task(batcher.submit(seen(str(i)))) for i in range(7)]
    await asyncio.sleep(0)
    closing = asyncio.create_task(batcher.close())
    await asyncio.sleep(0.01)
    assert not closing.done()
    recorder.gate.set()
    await closing
    assert all(c.done() and c.exception() is None for c in callers)
    assert sorted(recorder.recorded) == [str(i) for i in range(7)]
    await batcher.submit(seen("late"))  # after shutdown began: recorded alone, not dropped
    assert recorder.batches[-1] == ["late"]


async def test_a_cancelled_caller_does_not_break_its_batch() -> None:
    recorder = GatedRecorder()
    batcher = EventBatcher(recorder)
    gone = asyncio.create_task(batcher.submit(seen("gone")))
    kept = asyncio.create_task(batcher.submit(seen("kept")))
    await asyncio.sleep(0)
    gone.cancel()
    recorder.gate.set()
    await kept
    assert recorder.recorded == ["gone", "kept"]


def commit_fails(store: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The store's own units of work, whose commit fails as when the database goes away
    mid-transaction (every repository and the rollback are the store's)."""

    async def went_away() -> None:
        raise ConnectionError("database went away")

    def make() -> UnitOfWork:
        unit = store()
        unit.commit = went_away  # type: ignore[method-assign]
        return unit

    return make


async def test_a_failed_commit_stores_nothing_and_fails_every_caller(
    store: UnitOfWorkFactory,
) -> None:
    service, _ = make_service(store, FrozenClock(SLOT))
    events = make_events(await seed_posts(service, 5), 30, 0)
    service.engagement.uow = commit_fails(store)
    results = await asyncio.gather(
        *(service.handle_event(e) for e in events), return_exceptions=True
    )
    assert all(isinstance(r, ConnectionError) for r in results)
    assert await stored(store) == 0


async def test_handle_event_groups_concurrent_events_and_stores_each_once(
    store: UnitOfWorkFactory,
) -> None:
    service, _ = make_service(store, FrozenClock(SLOT))
    events = make_events(await seed_posts(service, 10), 90, 0)
    await asyncio.gather(*(service.handle_event(e) for e in events + events[:30]))
    await service.close()
    assert await stored(store) == 90


@pytest.mark.parametrize("max_batch", [1, 3])
async def test_batches_never_exceed_their_size(max_batch: int) -> None:
    recorder = GatedRecorder()
    recorder.gate.set()
    batcher = EventBatcher(recorder, max_batch=max_batch)
    await asyncio.gather(*(batcher.submit(seen(str(i))) for i in range(10)))
    assert max(len(b) for b in recorder.batches) <= max_batch
    assert sorted(recorder.recorded, key=int) == [str(i) for i in range(10)]
