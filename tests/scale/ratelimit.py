"""Opt-in rate limits for the fake Slack and fake Discord, as aiohttp middlewares.

Discord (documented): 50 requests/s per bot across all routes (a global 429 carries
`"global": true`), plus per-route buckets keyed by the major parameter (channel, guild),
announced in X-RateLimit-* headers. Slack (documented tiers, burst sizes modelled):
chat.postMessage 1/s per channel plus a per-workspace burst bucket; other methods a
per-workspace, per-method bucket of their tier (Tier 2: 20/min, Tier 3: 50/min, Tier 4:
100/min) whose burst is one minute's worth. `speed` divides every window (a benchmark run at
speed 10 sees 500 requests/s global), `latency` is the simulated round trip per request.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Bucket:
    """A token bucket: `capacity` tokens, refilled at `capacity / seconds` per second."""

    capacity: float
    seconds: float
    tokens: float = -1.0
    stamp: float = 0.0

    def _refill(self, now: float) -> None:
        if self.tokens < 0:
            self.tokens, self.stamp = self.capacity, now
        rate = self.capacity / self.seconds
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * rate)
        self.stamp = now

    def wait(self, now: float) -> float:
        """Seconds until a token is free (0.0: one is free now)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) * self.seconds / self.capacity

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1

    def remaining(self) -> int:
        return max(0, math.floor(self.tokens))


@dataclass
class FixedWindow:
    """At most `capacity` requests per window of `seconds`, windows aligned on the clock's
    multiples of `seconds` (a counter reset each wall-clock second, as a server may count)."""

    capacity: int
    seconds: float
    index: int = -1
    count: int = 0

    def _roll(self, now: float) -> None:
        index = math.floor(now / self.seconds)
        if index != self.index:
            self.index, self.count = index, 0

    def wait(self, now: float) -> float:
        self._roll(now)
        return 0.0 if self.count < self.capacity else (self.index + 1) * self.seconds - now

    def take(self, now: float) -> None:
        self._roll(now)
        self.count += 1

    def remaining(self) -> int:
        return max(0, self.capacity - self.count)


@dataclass
class LimitStats:
    served: int = 0
    limited_global: int = 0
    limited_route: int = 0
    by_route: dict[str, int] = field(default_factory=dict)


# --- Discord ------------------------------------------------------------------------------

DISCORD_GLOBAL_PER_SECOND = 50
# (pattern, bucket name, requests, per seconds); the first group is the major parameter.
DISCORD_ROUTES = [
    (re.compile(r"^/api/v10/channels/(\d+)/messages$"), "messages", 5, 5.0),
    (re.compile(r"^/api/v10/channels/(\d+)/messages/\d+/reactions/"), "reactions", 1, 0.25),
    (re.compile(r"^/api/v10/channels/(\d+)/messages/\d+/threads$"), "threads", 5, 5.0),
    (re.compile(r"^/api/v10/guilds/(\d+)/members/"), "member", 10, 1.0),
    (re.compile(r"^/api/v10/guilds/(\d+)$"), "guild", 10, 1.0),
    (re.compile(r"^/api/v10/channels/(\d+)$"), "channel", 10, 1.0),
]


@dataclass
class DiscordLimits:
    """Discord's limits for one bot; `speed` shortens every window by that factor.
    `fixed_window`: the global limit counted per wall-clock second (a stricter reading of
    "50 requests per second" than a continuously refilled bucket)."""

    speed: float = 1.0
    latency: float = 0.0
    fixed_window: bool = False
    stats: LimitStats = field(default_factory=LimitStats)
    _global: Bucket | FixedWindow | None = None
    _routes: dict[tuple[str, str], Bucket] = field(default_factory=dict)

    def reset(self) -> None:
        self._global, self._routes, self.stats = None, {}, LimitStats()

    def _global_bucket(self) -> Bucket | FixedWindow:
        if self._global is None and self.fixed_window:
            self._global = FixedWindow(DISCORD_GLOBAL_PER_SECOND, 1.0 / self.speed)
        if self._global is None:
            # Discord counts per second; a bucket refilling continuously is slightly kinder
            # than a fixed window, so the bound computed from it is the stricter one.
            self._global = Bucket(DISCORD_GLOBAL_PER_SECOND, 1.0 / self.speed)
        return self._global

    def _route(self, path: str) -> tuple[str, Bucket] | None:
        for pattern, name, limit, seconds in DISCORD_ROUTES:
            if (match := pattern.match(path)) is not None:
                key = (name, match.group(1))
                if key not in self._routes:
                    self._routes[key] = Bucket(limit, seconds / self.speed)
                return f"{name}:{match.group(1)}", self._routes[key]
        return None

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        await asyncio.sleep(self.latency / 2)
        now = time.monotonic()
        glob = self._global_bucket()
        route = self._route(request.path)
        if (wait := glob.wait(now)) > 0:
            self.stats.limited_global += 1
            return _discord_429(wait, scope="global")
        if route is not None and (wait := route[1].wait(now)) > 0:
            self.stats.limited_route += 1
            return _discord_429(wait, scope="user", bucket=route[0])
        glob.take(now)
        if route is not None:
            route[1].take(now)
        self.stats.served += 1
        response = await handler(request)
        if route is not None and response.status != 429:
            name, bucket = route
            response.headers.update(_discord_headers(name, bucket, now))
        await asyncio.sleep(self.latency / 2)
        return response


def _discord_headers(name: str, bucket: Bucket, now: float) -> dict[str, str]:
    reset_after = max(bucket.wait(now), bucket.seconds / bucket.capacity)
    return {
        "X-RateLimit-Limit": str(int(bucket.capacity)),
        "X-RateLimit-Remaining": str(bucket.remaining()),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": name.split(":")[0],
    }


def _discord_429(wait: float, scope: str, bucket: str = "") -> web.Response:
    body = {"message": "You are being rate limited.", "retry_after": round(wait, 3)}
    body["global"] = scope == "global"
    headers = {
        "Content-Type": "application/json",
        "Retry-After": str(max(1, math.ceil(wait))),
        "X-RateLimit-Scope": scope,
        "Via": "1.1 google",  # without it discord.py takes a 429 for a Cloudflare ban
    }
    if scope == "global":
        headers["X-RateLimit-Global"] = "true"
    else:
        headers |= {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": f"{wait:.3f}"}
        headers["X-RateLimit-Bucket"] = bucket.split(":")[0]
    return web.Response(body=json.dumps(body).encode(), status=429, headers=headers)


# --- Slack --------------------------------------------------------------------------------

SLACK_TIER_PER_MINUTE = {
    "auth.test": 100,  # special; modelled as Tier 4
    "conversations.list": 20,  # Tier 2
    "conversations.info": 50,
    "conversations.join": 50,
    "conversations.history": 50,
    "reactions.add": 50,
    "pins.add": 20,
    "pins.remove": 20,
}
SLACK_POSTS_PER_CHANNEL_SECOND = 1
SLACK_WORKSPACE_POST_BURST = 100  # modelled: Slack says bursts are allowed, not how large
SLACK_WORKSPACE_POSTS_PER_MINUTE = 300


@dataclass
class SlackLimits:
    """Slack's per-channel and per-workspace limits; teams are told apart by bot token."""

    latency: float = 0.0
    stats: LimitStats = field(default_factory=LimitStats)
    _buckets: dict[tuple[str, str], Bucket] = field(default_factory=dict)

    def reset(self) -> None:
        self._buckets, self.stats = {}, LimitStats()

    def _bucket(self, key: tuple[str, str], capacity: float, seconds: float) -> Bucket:
        if key not in self._buckets:
            self._buckets[key] = Bucket(capacity, seconds)
        return self._buckets[key]

    def buckets_for(self, method: str, team: str, channel: str) -> list[Bucket]:
        if method == "chat.postMessage":
            posts_rate = SLACK_WORKSPACE_POSTS_PER_MINUTE / 60
            return [
                self._bucket(("post-channel", channel), SLACK_POSTS_PER_CHANNEL_SECOND, 1.0),
                self._bucket(
                    ("post-team", team),
                    SLACK_WORKSPACE_POST_BURST,
                    SLACK_WORKSPACE_POST_BURST / posts_rate,
                ),
            ]
        per_minute = SLACK_TIER_PER_MINUTE.get(method)
        if per_minute is None:
            return []
        return [self._bucket((method, team), per_minute, 60.0)]

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        await asyncio.sleep(self.latency / 2)
        method = request.match_info.get("method", "")
        team, channel = await _slack_caller(request)
        now = time.monotonic()
        buckets = self.buckets_for(method, team, channel)
        wait = max((b.wait(now) for b in buckets), default=0.0)
        if wait > 0:
            self.stats.limited_route += 1
            headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            body = {"ok": False, "error": "ratelimited"}
            return web.json_response(body, status=429, headers=headers)
        for bucket in buckets:
            bucket.take(now)
        self.stats.served += 1
        self.stats.by_route[method] = self.stats.by_route.get(method, 0) + 1
        response = await handler(request)
        await asyncio.sleep(self.latency / 2)
        return response


async def _slack_caller(request: web.Request) -> tuple[str, str]:
    """(bot token, channel) of a Web API call; aiohttp caches the body for the handler."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    raw = await request.read()
    params: dict[str, Any] = dict(request.query)
    if raw and request.content_type == "application/json":
        params.update(json.loads(raw))
    elif raw:
        params.update(parse_qsl(raw.decode(), keep_blank_values=True))
    return token or str(params.get("token", "")), str(params.get("channel", ""))
