"""Group commit for engagement events: whatever has gathered while the previous batch was
being written is recorded in one transaction.

`submit` returns only after the transaction holding its event committed, so an adapter that
acknowledges an event after `submit` returns never acknowledges a lost one. If a batch fails,
its events are recorded one by one so that a single bad event fails only its own caller; an
error that fails every event (the database is gone) reaches every caller.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.core.domain import EngagementEvent

log = logging.getLogger(__name__)

RecordEvents = Callable[[Sequence[EngagementEvent]], Awaitable[None]]
Pending = tuple[EngagementEvent, "asyncio.Future[None]"]


class EventBatcher:
    def __init__(self, record: RecordEvents, max_batch: int = 500) -> None:
        self._record = record
        self.max_batch = max_batch
        self._queue: list[Pending] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, event: EngagementEvent) -> None:
        """Record the event with whatever else is waiting; returns once it is committed."""
        if self._closed:  # after shutdown began: record it alone rather than drop it
            await self._record([event])
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((event, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="tigerbird-event-batcher")
        await done

    async def close(self) -> None:
        """Stop batching and wait until every queued event is recorded (or failed)."""
        self._closed = True
        if self._flusher is not None:
            await asyncio.shield(self._flusher)

    async def _flush(self) -> None:
        batch: list[Pending] = []
        try:
            while self._queue:
                batch = self._queue[: self.max_batch]
                del self._queue[: self.max_batch]
                await self._record_batch(batch)
                batch = []
        except BaseException:  # cancelled: nobody may wait forever on a future
            for _, done in batch + self._queue:
                done.cancel()
            self._queue.clear()
            raise

    async def _record_batch(self, batch: list[Pending]) -> None:
        try:
            await self._record([event for event, _ in batch])
        except Exception as error:
            if len(batch) == 1:
                _settle(batch[0][1], error)
                return
            log.warning("recording %d events failed (%r); retrying one by one", len(batch), error)
            for event, done in batch:
                try:
                    await self._record([event])
                except Exception as single:
                    log.warning("could not record %s: %r", type(event).__name__, single)
                    _settle(done, single)
                else:
                    _settle(done, None)
        else:
            for _, done in batch:
                _settle(done, None)


def _settle(done: asyncio.Future[None], error: Exception | None) -> None:
    if done.done():  # the caller was cancelled; the event is recorded all the same
        return
    if error is None:
        done.set_result(None)
    else:
        done.set_exception(error)
