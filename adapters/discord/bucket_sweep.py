"""Throttle discord.py's sweep of expired rate-limit buckets.

discord.py 2.x (`HTTPClient._try_clear_expired_ratelimits`) scans every bucket each time it
creates one, once it holds 256. A fan-out to 10,000 channels creates about 50,000 buckets
(one per route and channel), so the scan is quadratic and took most of the process's CPU
(docs/performance.md). discord.py drops only buckets idle for 5 minutes anyway; sweeping at
most once a minute keeps at most one more minute of them (about 3,000 at 50 requests/s).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

SWEEP_METHOD = "_try_clear_expired_ratelimits"
SWEEP_EVERY = 60.0  # seconds


class ThrottledSweep:
    """Calls `sweep` only if `every` seconds have passed since it last did."""

    def __init__(self, sweep: Callable[[], None], every: float, clock: Callable[[], float]) -> None:
        self._sweep = sweep
        self._every = every
        self._clock = clock
        self._last: float | None = None

    def __call__(self) -> None:
        now = self._clock()
        if self._last is not None and now - self._last < self._every:
            return
        self._last = now
        self._sweep()


def throttle_bucket_sweep(
    http: object, every: float = SWEEP_EVERY, clock: Callable[[], float] = time.monotonic
) -> bool:
    """Install the throttle on this discord.py HTTPClient instance (idempotent). False when
    this discord.py has no such sweep (another version): nothing is changed then."""
    sweep = getattr(http, SWEEP_METHOD, None)
    if not callable(sweep):
        log.debug("discord.py has no %s: bucket sweep left as it is", SWEEP_METHOD)
        return False
    if not isinstance(sweep, ThrottledSweep):
        setattr(http, SWEEP_METHOD, ThrottledSweep(sweep, every, clock))
    return True
