"""Client-side pacing: keep a platform's requests under its global rate limit instead of
learning it from 429s. Pure Python (no SDK); bootstrap wraps a platform with it.

discord.py has no proactive global limiter: with 20 posts in flight it meets Discord's
50 requests/s as a storm of global 429s, each request retried at most 5 times before the
slot is left for recovery. Paying a post's requests up front at 95% of the limit avoids that.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

from bot.domain import PlatformName, Target
from bot.ports import Missing, Platform, PromptMessage


class Pacer:
    """A token bucket callers wait on, first come first served."""

    def __init__(self, per_second: float, burst: float) -> None:
        self.per_second = per_second
        self.burst = burst
        self._tokens = burst
        self._stamp = time.monotonic()
        self._lock = asyncio.Lock()

    async def take(self, cost: float) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.per_second)
                self._stamp = now
                if self._tokens >= cost:
                    self._tokens -= cost
                    return
                await asyncio.sleep((cost - self._tokens) / self.per_second)


@dataclass(frozen=True)
class RequestCosts:
    """Requests each Platform call makes on the wire (Discord: guild, member, channel to
    check; send, one per reaction, thread to post)."""

    check: int = 3
    post_base: int = 1
    per_choice: int = 1
    thread: int = 1

    def post(self, message: PromptMessage) -> int:
        thread = self.thread if message.open_thread else 0
        return self.post_base + self.per_choice * len(message.choices) + thread


class PacedPlatform:
    """A Platform whose calls wait for their requests' share of the rate budget."""

    def __init__(self, inner: Platform, pacer: Pacer, costs: RequestCosts) -> None:
        self._inner = inner
        self._pacer = pacer
        self._costs = costs
        self.name: PlatformName = inner.name

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        await self._pacer.take(self._costs.post(message))
        return await self._inner.post(community, channel, message)

    async def pin(self, community: str, target: Target) -> None:
        await self._pacer.take(1)
        await self._inner.pin(community, target)

    async def unpin(self, community: str, target: Target) -> None:
        await self._pacer.take(1)
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
        await self._pacer.take(1)
        return await self._inner.find_post(community, channel, marker, since)

    async def notify_managers(self, community: str, text: str) -> None:
        await self._pacer.take(2)
        await self._inner.notify_managers(community, text)

    async def current_reactions(self, community: str, target: Target) -> list[tuple[str, str]]:
        await self._pacer.take(1)
        return await self._inner.current_reactions(community, target)
