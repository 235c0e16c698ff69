"""Client-side pacing: keep a platform's requests under its rate limits instead of learning
them from 429s. Pure Python (no SDK); the adapters apply it to their requests.

`Pacer` is a token bucket (Slack's per-method tiers). `WindowLimiter` spaces its grants evenly
so that no window of `window` seconds ever holds more than `limit` of them: Discord's
global limit may be counted per wall-clock second, and a token bucket at 95% of 50/s with a
burst of 5 still lets up to 52 requests into one second (57 when a post's requests were charged
up front), which a fixed-window limiter answers with global 429s.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
ROUNDING = 1e-9  # tokens: a wake-up this close to its due time counts as on time

MonotonicClock = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]


class Pacer:
    """A token bucket of `burst` tokens refilled at `per_second`; callers are served first
    come, first served (one at a time, through a FIFO lock).

    A caller is granted its tokens once the bucket holds them, read from the clock when it
    wakes: after a stall of the event loop the bucket holds at most `burst`, so the waiters do
    not rush out together. A cost larger than the bucket is granted from a full bucket and
    leaves it in debt, repaid before the next grant. So in any window of T seconds at most
    `per_second * T + max(burst, largest cost)` tokens are granted. A caller cancelled while
    waiting takes nothing.
    """

    def __init__(
        self,
        per_second: float,
        burst: float,
        *,
        clock: MonotonicClock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if not (per_second > 0 and math.isfinite(per_second)):
            raise ValueError(f"per_second must be a positive number, not {per_second}")
        if burst <= 0:
            raise ValueError(f"burst must be positive, not {burst}")
        self.per_second = per_second
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = burst
        self._stamp = clock()
        self._lock = asyncio.Lock()
        self.granted = 0.0  # tokens handed out so far

    def available(self) -> float:
        """Tokens in the bucket now (negative: in debt)."""
        elapsed = self._clock() - self._stamp
        return min(self.burst, self._tokens + elapsed * self.per_second)

    async def take(self, cost: float) -> None:
        """Wait until `cost` tokens are granted to this caller, after every earlier caller."""
        if cost < 0:
            raise ValueError(f"cost must not be negative, not {cost}")
        if cost == 0:
            return
        async with self._lock:
            needed = min(cost, self.burst)
            while (tokens := self.available()) < needed - ROUNDING:
                await self._sleep((needed - tokens) / self.per_second)
            self._tokens, self._stamp = tokens - cost, self._clock()
            self.granted += cost

    def hold(self, seconds: float) -> None:
        """Grant nothing for `seconds` (the platform said so in a 429's Retry-After)."""
        self._tokens = min(self.available(), 1.0 - seconds * self.per_second)
        self._stamp = self._clock()


class WindowLimiter:
    """At most `limit` grants in any `window` seconds, callers served first come, first
    served: each grant comes at least `window / limit` after the previous one (read from
    the clock when the caller wakes, so after a stall nothing rushes out). Evenly spaced
    grants, unlike a log that lets `limit` go at once, stay within a platform's count per
    fixed window even when requests are delayed unevenly on their way: at 47 a second a
    request may be late by up to 3 spacings (60 ms) before a window of 50 overflows.
    Steady throughput is `limit / window`."""

    def __init__(
        self,
        limit: int,
        window: float = 1.0,
        *,
        clock: MonotonicClock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        if not (window > 0 and math.isfinite(window)):
            raise ValueError(f"window must be a positive number of seconds, not {window}")
        self.limit = limit
        self.window = window
        self.spacing = window / limit + ROUNDING  # never limit + 1 in a window by rounding
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None
        self._lock = asyncio.Lock()
        self.granted = 0

    @classmethod
    def per_second(cls, rate: float, window: float = 1.0) -> WindowLimiter:
        """The limiter for `rate` requests a second, counted per `window` (rounded down)."""
        return cls(max(1, math.floor(rate * window + ROUNDING)), window)

    async def take(self) -> None:
        """Wait for this caller's grant, after every earlier caller's."""
        async with self._lock:
            if self._last is not None:
                while (wait := self._last + self.spacing - self._clock()) > 0:
                    await self._sleep(wait)
            self._last = self._clock()
            self.granted += 1


BURST_GAP = 10.0  # seconds without a 429 that end a burst of them


class RefusalLog:
    """Counts a platform's 429 answers and logs the first of each burst (a burst ends after
    `gap` quiet seconds) instead of one line per refused request."""

    def __init__(
        self,
        platform: str,
        handling: str,
        gap: float = BURST_GAP,
        clock: MonotonicClock = time.monotonic,
    ) -> None:
        self._platform = platform
        self._handling = handling
        self._gap = gap
        self._clock = clock
        self._last: float | None = None
        self.total = 0
        self.global_total = 0
        self.bursts = 0

    def record(self, what: str, *, is_global: bool = False) -> None:
        now = self._clock()
        self.total += 1
        self.global_total += is_global
        if self._last is None or now - self._last > self._gap:
            self.bursts += 1
            log.warning(
                "%s answered 429 (%s); %s. Further 429s less than %gs apart are counted "
                "(%d so far), not logged",
                self._platform, what, self._handling, self._gap, self.total,
            )  # fmt: skip
        self._last = now
