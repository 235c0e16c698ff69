"""WorkerLiveness on PostgreSQL: each worker holds a session-level advisory lock keyed by its
id on a connection of its own. When the process dies (kill -9, power cut) PostgreSQL ends the
session and frees the lock, so another worker that gets the lock knows the owner is dead and
takes its claims over at once instead of waiting out the claim lease."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Collection

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)
# The first key of pg_advisory_lock(int4, int4): Tigerbird's namespace ("TB" + 1).
LOCK_CLASS = 0x54420001
HEARTBEAT_SECONDS = 2.0


def _key(worker_id: str) -> int:
    """The second lock key: worker ids are 8 hex digits, read as a signed 32-bit integer."""
    value = int(worker_id, 16)
    return value - (1 << 32) if value >= 1 << 31 else value


def _is_worker_id(value: str) -> bool:
    """Only ids of lock-holding workers: a process without a lock (LocalLiveness, 16 digits,
    e.g. a CLI) is never taken for dead because its id's lock is free."""
    return len(value) == 8 and all(c in "0123456789abcdef" for c in value)


class PgLiveness:
    """Implements bot.core.ports.WorkerLiveness with PostgreSQL session advisory locks."""

    def __init__(self, engine: AsyncEngine, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self._engine = engine
        self._heartbeat = heartbeat
        self._conn: AsyncConnection | None = None
        self._use = asyncio.Lock()  # one statement at a time on the dedicated connection
        self._task: asyncio.Task[None] | None = None
        self.worker_id = ""

    @property
    def alive(self) -> bool:
        return self._conn is not None

    async def start(self) -> PgLiveness:
        """Take a fresh worker id and its lock, and watch the connection from now on."""
        await self._acquire()
        self._task = asyncio.get_running_loop().create_task(self._watch())
        return self

    async def _acquire(self) -> None:
        conn = await self._engine.connect()
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        while True:  # a random id another live worker holds is drawn again
            worker_id = secrets.token_hex(4)
            statement = text("SELECT pg_try_advisory_lock(:c, :k)")
            if await conn.scalar(statement, {"c": LOCK_CLASS, "k": _key(worker_id)}):
                break
        self._conn, self.worker_id = conn, worker_id
        log.info("worker %s holds its liveness lock", worker_id)

    async def _watch(self) -> None:
        """Notice a lost connection (its lock is gone: others may take this worker's claims
        over) within seconds, stop posting, and come back under a new id."""
        while True:
            await asyncio.sleep(self._heartbeat)
            async with self._use:
                try:
                    if self._conn is None:
                        await self._acquire()
                    else:
                        await self._conn.execute(text("SELECT 1"))
                except Exception as error:
                    if self._conn is not None:
                        log.warning("worker %s lost its liveness lock: %s", self.worker_id, error)
                        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.invalidate()  # never back into the pool, still holding the lock

    async def dead(self, workers: Collection[str]) -> set[str]:
        """Workers whose lock is free: PostgreSQL ended their session, so they are dead."""
        found: set[str] = set()
        async with self._use:
            conn = self._conn
            if conn is None:
                return found  # this worker cannot tell (and must not act) until it is back
            try:
                for worker in sorted(workers):
                    if worker == self.worker_id or not _is_worker_id(worker):
                        continue
                    params = {"c": LOCK_CLASS, "k": _key(worker)}
                    if await conn.scalar(text("SELECT pg_try_advisory_lock(:c, :k)"), params):
                        await conn.execute(text("SELECT pg_advisory_unlock(:c, :k)"), params)
                        found.add(worker)
            except Exception as error:
                log.warning("worker %s lost its liveness lock: %s", self.worker_id, error)
                await self._drop()
                return set()
        return found

    async def close(self) -> None:
        """Release the lock (a clean stop) and the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        async with self._use:
            conn, self._conn = self._conn, None
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.execute(text("SELECT pg_advisory_unlock_all()"))
                await conn.close()
