"""Client-side pacing: keep a platform's requests under its global rate limit instead of
learning it from 429s. Pure Python (no SDK); bootstrap wraps a platform with it.

discord.py has no proactive global limiter: with 20 posts in flight it meets Discord's
50 requests/s as a storm of global 429s, each request retried at most 5 times before the
slot is left for recovery. Paying a post's requests up front at 95% of the limit avoids that.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.domain import PlatformName, Target
from bot.core.ports import Missing, Platform, PlatformError, PromptMessage, ThreadMessages
from bot.core.rituals import Spoken

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


@dataclass(frozen=True)
class RequestCosts:
    """Requests each Platform call makes on the wire; the defaults are DiscordPlatform's:
    guild, member and channel to check; send, one per reaction and the thread to post; one
    to pin or unpin; one page of history to find a post; the guild and a DM (open + send)
    to notify; the message and one page of reactors per emoji (two assumed) for reactions;
    a page of the thread and one of the channel after the post for replies.
    Calls whose count depends on the answer (history pages, managers) are charged their
    usual count: an estimate, which the 5% headroom and discord.py's 429 retries absorb."""

    check: int = 3
    post_base: int = 1
    per_choice: int = 1
    thread: int = 1
    pin: int = 1
    unpin: int = 1
    find_post: int = 1
    notify_managers: int = 3
    current_reactions: int = 3
    current_replies: int = 2

    def post(self, message: PromptMessage) -> int:
        thread = self.thread if message.open_thread else 0
        return self.post_base + self.per_choice * len(message.choices) + thread


class PacedPlatform:
    """A Platform whose calls first wait for their requests' share of the rate budget, then
    call the inner platform unchanged (arguments, results and errors pass through)."""

    def __init__(self, inner: Platform, pacer: Pacer, costs: RequestCosts) -> None:
        self._inner = inner
        self._pacer = pacer
        self._costs = costs
        self.name: PlatformName = inner.name

    @property
    def pacer(self) -> Pacer:
        return self._pacer

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        await self._pacer.take(self._costs.post(message))
        return await self._inner.post(community, channel, message)

    async def pin(self, community: str, target: Target) -> None:
        await self._pacer.take(self._costs.pin)
        await self._inner.pin(community, target)

    async def unpin(self, community: str, target: Target) -> None:
        await self._pacer.take(self._costs.unpin)
        await self._inner.unpin(community, target)

    async def check_permissions(
        self, community: str, channel: str, *, pin: bool, thread: bool, ping_role: str | None
    ) -> list[Missing]:
        await self._pacer.take(self._costs.check)
        return await self._inner.check_permissions(
            community, channel, pin=pin, thread=thread, ping_role=ping_role
        )

    async def find_post(
        self, community: str, channel: str, marker: str, since: datetime
    ) -> Target | None:
        await self._pacer.take(self._costs.find_post)
        return await self._inner.find_post(community, channel, marker, since)

    async def notify_managers(self, community: str, text: str) -> None:
        await self._pacer.take(self._costs.notify_managers)
        await self._inner.notify_managers(community, text)

    async def current_reactions(
        self, community: str, target: Target
    ) -> list[tuple[str, str]] | None:
        await self._pacer.take(self._costs.current_reactions)
        return await self._inner.current_reactions(community, target)

    async def current_replies(self, community: str, target: Target) -> list[tuple[str, datetime]]:
        await self._pacer.take(self._costs.current_replies)
        return await self._inner.current_replies(community, target)

    async def say_in_thread(self, community: str, target: Target, parts: Spoken) -> None:
        """bot.core.ports.ThreadMessages, paced as one message sent."""
        if not isinstance(self._inner, ThreadMessages):
            raise PlatformError(f"{self.name.value} cannot speak in a thread", permanent=True)
        await self._pacer.take(self._costs.post_base)
        await self._inner.say_in_thread(community, target, parts)
