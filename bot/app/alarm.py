"""APScheduler as the alarm clock only: due slots are database rows, not timers.

One date job wakes at the earliest next_slot_at (re-armed after each batch and whenever a
schedule changes) plus a slow safety tick that also retries rows left claimed, and a quick
recovery tick so that a dead worker's claims are taken over within seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.app.clock import SystemClock
from bot.core.ports import Clock
from bot.service_layer.services import Tigerbird

log = logging.getLogger(__name__)


class Alarm:
    """Wakes the service when a slot is due, and on the safety and recovery ticks."""

    def __init__(
        self,
        service: Tigerbird,
        safety_tick: timedelta = timedelta(seconds=30),
        periodic: Sequence[Callable[[], Awaitable[object]]] = (),
        recovery_tick: timedelta = timedelta(seconds=5),
        clock: Clock | None = None,
    ) -> None:
        self._service = service
        self._clock = clock or SystemClock()
        self._periodic = list(periodic)
        self._safety_tick = safety_tick
        self._recovery_tick = recovery_tick
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._busy = asyncio.Lock()
        self.batches = 0

    def start(self) -> None:
        self._scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self._safety_tick.total_seconds()),
            id="safety-tick",
            max_instances=1,
            coalesce=True,
        )
        self._scheduler.add_job(
            self.recover,
            IntervalTrigger(seconds=self._recovery_tick.total_seconds()),
            id="recovery-tick",
            max_instances=1,
            coalesce=True,
        )
        self._scheduler.start()
        self._service.when_schedules_change(self.rearm)

    def rearm(self) -> None:
        asyncio.get_running_loop().create_task(self.arm())

    async def arm(self) -> datetime | None:
        """Set the alarm to the earliest due slot (now, if one is overdue)."""
        earliest = await self._service.earliest_next_slot()
        if earliest is None:
            return None
        when = max(earliest, self._clock.now())
        self._scheduler.add_job(
            self.tick,
            DateTrigger(run_date=when),
            id="alarm",
            replace_existing=True,
            misfire_grace_time=None,
        )
        return when

    async def tick(self) -> None:
        """Post what is due and resolve stale claims; never lets an error kill the alarm."""
        async with self._busy:
            try:
                posted = await self._service.post_due()
                await self._service.recover()
                self.batches += 1
                if posted:
                    log.info("posted %d due slot(s)", posted)
            except Exception:
                log.exception("posting batch failed; the safety tick will retry")
            for task in self._periodic:
                try:
                    await task()
                except Exception:
                    log.exception("periodic task %s failed; retried next tick", task)
            try:
                await self.arm()
            except Exception:
                log.exception("could not re-arm the alarm")

    async def recover(self) -> None:
        """Resolve claims whose owner died (or whose lease ran out) between safety ticks."""
        async with self._busy:
            try:
                await self._service.recover()
            except Exception as error:  # e.g. the database is away: the safety tick logs it
                log.warning("recovery failed, retried in a few seconds: %r", error)

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
