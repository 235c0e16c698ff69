"""The one way Tigerbird builds Slack Web API clients: configurable base URL, bounded retries."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

MAX_RETRIES = 2
# A 429 means Slack did nothing, so retrying is always safe; the pacer keeps them rare, but
# other processes may share the workspace's budget.
MAX_RATE_LIMIT_RETRIES = 5
TIMEOUT_SECONDS = 30


def web_client(api_url: str, token: str | None = None) -> AsyncWebClient:
    """A client for `api_url` (SLACK_API_URL) that retries 429 after Retry-After, 500/503
    and connection errors, each at most MAX_RETRIES times before the error surfaces."""
    base_url = api_url if api_url.endswith("/") else api_url + "/"
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES),
            AsyncRateLimitErrorRetryHandler(max_retry_count=MAX_RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=MAX_RETRIES),
        ],
    )


def posting_client(api_url: str) -> AsyncWebClient:
    """A client for chat.postMessage: only 429 is retried here (Slack did not post). After a
    5xx or a dropped connection the message may exist, so SlackPlatform looks for it first."""
    base_url = api_url if api_url.endswith("/") else api_url + "/"
    return AsyncWebClient(
        base_url=base_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=MAX_RATE_LIMIT_RETRIES)],
    )


def without_rate_limit_retries(client: AsyncWebClient) -> AsyncWebClient:
    """The same client, its 429s left to the caller (SlackWebApi retries them through its
    pacer)."""
    client.retry_handlers = [
        h for h in client.retry_handlers if not isinstance(h, AsyncRateLimitErrorRetryHandler)
    ]
    return client


def retry_after(error: SlackApiError) -> float:
    """Seconds Slack asks to wait after a 429 (Retry-After, whole seconds; 1 if absent)."""
    try:
        return max(0.0, float(error.response.headers.get("Retry-After", 1)))
    except (TypeError, ValueError):
        return 1.0


class SharedSession:
    """One aiohttp session (one connection pool) for several clients. slack_sdk opens a
    session, and so a connection, per call when it has none. Made on first use, inside the
    running loop; `close()` on shutdown."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def attach(self, *clients: AsyncWebClient) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        for client in clients:
            client.session = self._session
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
