"""Client-side pacing of Slack Web API calls, per workspace and per method (and per channel for
chat.postMessage), so that a fan-out stays under Slack's limits instead of learning them from
429s. Buckets are made on first use and dropped once idle, so thousands of workspaces cost
memory only while they post.

Slack's tiers (https://api.slack.com/apis/rate-limits): Tier 2 20/min, Tier 3 50/min, Tier 4
100/min per workspace and method, "with bursts"; chat.postMessage about 1/s per channel.
Slack does not say how large a burst is: one minute's worth is assumed at first, and learned
from Slack's own answers: a 429 halves the burst of that workspace's method (remembered even
after its idle bucket is dropped) and holds the bucket for the Retry-After.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from bot.delivery.pacing import Pacer, RefusalLog


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: float


TIER_2 = Rate(20, 20)
TIER_3 = Rate(50, 50)
TIER_4 = Rate(100, 100)
DEFAULT_METHOD_RATES: dict[str, Rate] = {
    "auth_test": TIER_4,
    "users_info": TIER_4,
    "conversations_list": TIER_2,
    "users_list": TIER_2,
    "pins_add": TIER_2,
    "pins_remove": TIER_2,
    "conversations_info": TIER_3,
    "conversations_join": TIER_3,
    "conversations_history": TIER_3,
    "conversations_open": TIER_3,
    "conversations_replies": TIER_3,
    "reactions_add": TIER_3,
    "reactions_get": TIER_3,
}


@dataclass(frozen=True)
class SlackRates:
    """What the pacer allows: `share` of each rate, each burst less `burst_margin` tokens (so
    requests delayed on the way do not arrive faster than Slack refills)."""

    methods: dict[str, Rate] = field(default_factory=lambda: dict(DEFAULT_METHOD_RATES))
    post_per_channel: Rate = Rate(60, 1)
    # Not documented by Slack ("several hundred messages per minute" per workspace).
    post_per_workspace: Rate = Rate(300, 100)
    share: float = 0.97
    burst_margin: float = 2.0

    def pacer(self, rate: Rate, learned_burst: float | None = None) -> Pacer:
        burst = max(1.0, rate.burst - self.burst_margin)
        if learned_burst is not None:
            burst = min(burst, learned_burst)
        return Pacer(self.share * rate.per_minute / 60, burst)


class KeyedPacers:
    """One Pacer per key, made on first use; a key with no caller waiting whose bucket has had
    time to refill completely is dropped (a new one would start full, so nothing is lost)."""

    def __init__(self, sweep_every: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self._pacers: dict[tuple[str, ...], tuple[Pacer, float, int]] = {}
        self._sweep_every = sweep_every
        self._clock = clock
        self._swept = clock()

    def __len__(self) -> int:
        return len(self._pacers)

    async def take(self, key: tuple[str, ...], make: Callable[[], Pacer]) -> None:
        now = self._clock()
        if now - self._swept >= self._sweep_every:
            self.sweep(now)
        pacer, _, waiting = self._pacers.get(key) or (make(), now, 0)
        self._pacers[key] = (pacer, now, waiting + 1)
        try:
            await pacer.take(1)
        finally:
            _, _, waiting = self._pacers[key]
            self._pacers[key] = (pacer, self._clock(), waiting - 1)

    def get(self, key: tuple[str, ...]) -> Pacer | None:
        found = self._pacers.get(key)
        return found[0] if found else None

    def sweep(self, now: float) -> None:
        self._swept = now
        idle = [
            key
            for key, (pacer, used, waiting) in self._pacers.items()
            if waiting == 0 and now - used >= pacer.burst / pacer.per_second
        ]
        for key in idle:
            del self._pacers[key]


class NoPacing:
    """SLACK_PACING=false: calls go out at once (a test server without limits)."""

    async def before(self, team: str, method: str, channel: str | None) -> None:
        return None

    async def refused(self, team: str, method: str, channel: str | None, seconds: float) -> None:
        await asyncio.sleep(seconds)


class SlackPacing:
    """Waits before each Web API call until its workspace (and channel) may make it."""

    def __init__(self, rates: SlackRates | None = None, pacers: KeyedPacers | None = None):
        self.rates = rates or SlackRates()
        self.pacers = pacers if pacers is not None else KeyedPacers()
        self.learned_bursts: dict[tuple[str, ...], float] = {}
        self.refusals = RefusalLog("Slack", "the call waits out Retry-After and is retried")

    def _buckets(self, team: str, method: str, channel: str | None) -> list[tuple[str, ...]]:
        if method == "chat_postMessage":
            per_channel: list[tuple[str, ...]] = [("post", team, channel)] if channel else []
            return [*per_channel, ("post", team)]
        return [(method, team)] if method in self.rates.methods else []

    def _rate(self, key: tuple[str, ...]) -> Rate:
        if key[0] == "post":
            return self.rates.post_per_channel if len(key) == 3 else self.rates.post_per_workspace
        return self.rates.methods[key[0]]

    async def before(self, team: str, method: str, channel: str | None) -> None:
        for key in self._buckets(team, method, channel):
            await self.pacers.take(key, partial(self._make, key))

    def _make(self, key: tuple[str, ...]) -> Pacer:
        return self.rates.pacer(self._rate(key), self.learned_bursts.get(key))

    async def refused(self, team: str, method: str, channel: str | None, seconds: float) -> None:
        """Slack answered 429 after `before` let the call go: the burst was smaller than
        assumed. Halve it (at least 1) and hold the bucket for Retry-After; the caller then
        goes through `before` again."""
        self.refusals.record(f"{method} in {team}, Retry-After {seconds:g}s")
        keys = self._buckets(team, method, channel)
        for key in keys:
            pacer = self.pacers.get(key)
            assumed = pacer.burst if pacer else self.rates.pacer(self._rate(key)).burst
            self.learned_bursts[key] = max(1.0, assumed / 2)
            if pacer is not None:
                pacer.burst = self.learned_bursts[key]
                pacer.hold(seconds)
        if not keys:  # a method paced by no bucket here: wait as Slack asks
            await asyncio.sleep(seconds)
