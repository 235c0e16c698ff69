"""Replay guard: a signed Slack command, button click or modal submission is handled once.

Slack accepts a signature for 5 minutes, so a captured request can be sent again in that
window. Each request body carries a fresh `trigger_id`, so the hash of the body identifies
it; the hashes live in the database (`slack_requests`), so every worker behind a load
balancer agrees, and are forgotten once the window is over.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from slack_bolt.request.async_request import AsyncBoltRequest
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import SlackRequestRow

# Slack's window is ±5 minutes around the signed timestamp; keep the hashes past both ends.
WINDOW = timedelta(minutes=11)


class RequestLog(Protocol):
    async def first_time(self, key: str) -> bool:
        """Record `key`; False when it was already recorded within the window."""
        ...


def request_key(request: AsyncBoltRequest) -> str:
    """The SHA-256 of the signed body (Socket Mode: of the payload, which holds trigger_id)."""
    raw = request.raw_body or json.dumps(request.body, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


class SqlRequestLog:
    """Keys in the `slack_requests` table; INSERT … ON CONFLICT DO NOTHING decides atomically."""

    def __init__(
        self, engine: AsyncEngine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._engine = engine
        self._clock = clock

    async def first_time(self, key: str) -> bool:
        now = self._clock()
        row = SlackRequestRow
        async with self._engine.begin() as conn:
            insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
            statement = insert(row).values(key=key, seen_at=now).on_conflict_do_nothing()
            added = (await conn.execute(statement)).rowcount == 1
            if added:
                await conn.execute(delete(row).where(row.seen_at < now - WINDOW))
        return added
