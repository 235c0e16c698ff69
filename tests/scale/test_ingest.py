"""CI-sized ingestion on memory, SQLite and PostgreSQL through the shipped path
(`Tigerbird.handle_event`, group commit): every event stored once, replays change nothing."""

from __future__ import annotations

import pytest

from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.scale.ingest import SLOT, make_events, run_ingest, seed_posts, stored


@pytest.mark.parametrize("grouped", [True, False])
async def test_every_event_is_stored_once(store: UnitOfWorkFactory, grouped: bool) -> None:
    service, _ = make_service(store, FrozenClock(SLOT))
    placed = await seed_posts(service, 20)
    events = make_events(placed, 300, 0)
    figures = await run_ingest(service, events, rate=0, grouped=grouped)
    assert figures.events == len(figures.latencies) == 300
    assert await stored(store) == 300
    await run_ingest(service, events[::2], rate=0, grouped=grouped)  # replayed
    await service.close()
    assert await stored(store) == 300
