"""Every REST request to Discord waits for its place under the bot's global limit just before
it goes on the wire, through an aiohttp trace hook on discord.py's own session.

Pacing at the wire counts exactly what Discord counts: each request of a post, discord.py's
retries, DMs and review posts. Interaction answers are left out (Discord does not count them
against the global limit), and so is the gateway. A 429 is still honoured by discord.py
(its global lock, its per-route buckets); here it is counted and logged once per burst.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import aiohttp

from bot.delivery.pacing import RefusalLog, WindowLimiter

log = logging.getLogger(__name__)

NOT_COUNTED = ("/interactions/", "/webhooks/")
DISCORD_RETRY_LOG = "Retrying in"  # discord.py's per-request lines for a 429 it retries


class RequestPacing:
    """The limiter and the 429 count of one discord.py client."""

    def __init__(self, limiter: WindowLimiter, refusals: RefusalLog | None = None) -> None:
        self.limiter = limiter
        self.refusals = refusals or RefusalLog("Discord", "discord.py waits and retries")

    def trace_config(self) -> aiohttp.TraceConfig:
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._on_start)
        trace.on_request_end.append(self._on_end)
        return trace

    async def _on_start(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        if _counted(params.url.path):
            await self.limiter.take()

    async def _on_end(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        response = params.response
        if response.status == 429:
            headers = response.headers
            is_global = headers.get("X-RateLimit-Global") == "true" or (
                headers.get("X-RateLimit-Scope") == "global"
            )
            scope = "global" if is_global else "per-route"
            self.refusals.record(f"{scope} limit, {params.url.path}", is_global=is_global)


def _counted(path: str) -> bool:
    return "/api/" in path and not any(part in path for part in NOT_COUNTED)


class _QuietRetries(logging.Filter):
    """Drops discord.py's one-line-per-429 warning; RefusalLog logs each burst once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return DISCORD_RETRY_LOG not in str(record.msg)


def install_request_pacing(http: Any, pacing: RequestPacing) -> None:
    """Pace this discord.py HTTPClient's requests; before login (its session is made then)."""
    http.http_trace = pacing.trace_config()
    discord_http_log = logging.getLogger("discord.http")
    if not any(isinstance(f, _QuietRetries) for f in discord_http_log.filters):
        discord_http_log.addFilter(_QuietRetries())
