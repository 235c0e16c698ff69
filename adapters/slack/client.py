"""The one way Tigerbird builds Slack Web API clients: configurable base URL, bounded retries."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

MAX_RETRIES = 2
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
            AsyncRateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
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
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES)],
    )
