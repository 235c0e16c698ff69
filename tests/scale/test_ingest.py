"""CI-sized ingestion on memory, SQLite and PostgreSQL: every event stored, one transaction
per event or grouped; a failed group stores nothing and tells every caller."""

from __future__ import annotations

import asyncio
from dataclasses import astuple
from types import TracebackType
from typing import Any, Self

import pytest

from bot.domain import ReactionAdded, ReactionRemoved
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.conftest import require_postgres, truncate_all
from tests.helpers import make_service
from tests.scale.bulk_ingest import BulkRecorder
from tests.scale.ingest import SLOT, GroupCommit, make_events, run_ingest, seed_posts, stored


@pytest.mark.parametrize("grouped", [False, True])
async def test_every_event_is_stored(store: UnitOfWorkFactory, grouped: bool) -> None:
    service, _ = make_service(store, FrozenClock(SLOT))
    placed = await seed_posts(service, 20)
    events = make_events(placed, 150, 0)
    figures = await run_ingest(service, events, rate=0, grouped=grouped)
    assert figures.events == 150
    assert await stored(store) == 150
    await run_ingest(service, events, rate=0, grouped=grouped)  # replayed
    assert await stored(store) == 150


class CommitFails:
    """A unit of work whose commit fails, as when the process dies mid-transaction."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._inner.__aexit__(kind, exc, tb)

    async def commit(self) -> None:
        raise ConnectionError("database went away")


async def test_a_failed_group_stores_nothing_and_fails_every_caller(
    store: UnitOfWorkFactory,
) -> None:
    service, _ = make_service(store, FrozenClock(SLOT))
    placed = await seed_posts(service, 5)
    events = make_events(placed, 30, 0)
    service.engagement.uow = lambda: CommitFails(store())
    queue = GroupCommit(service.handle_events)
    results = await asyncio.gather(*(queue.submit(e) for e in events), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
    assert await stored(store) == 0


async def test_bulk_recorder_stores_what_handle_events_stores(sqlite_url: str) -> None:
    for url in (sqlite_url, *([PG] if (PG := pg_url()) else [])):
        engine = make_engine(url)
        if url.startswith("postgresql"):
            await truncate_all(engine)
        uow = SqlUnitOfWorkFactory(make_sessions(engine))
        service, _ = make_service(uow, FrozenClock(SLOT))
        placed = await seed_posts(service, 10)
        events = make_events(placed, 120, 0)
        bulk = BulkRecorder(uow.sessions, service.members)
        await run_ingest(service, events, rate=0, grouped=True, record=bulk.record)
        await run_ingest(service, events, rate=0, grouped=True, record=bulk.record)
        assert await stored(uow) == 120
        removal = (
            ReactionRemoved(*astuple(events[0])) if isinstance(events[0], ReactionAdded) else None
        )
        assert removal is not None
        await bulk.record([removal])
        assert await stored(uow) == 119
        await engine.dispose()


def pg_url() -> str:
    try:
        return require_postgres()
    except pytest.skip.Exception:
        return ""
