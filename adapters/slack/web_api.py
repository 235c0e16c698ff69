"""Slack's Web API as the workspace's bot: one call path (tokens, pacing, errors as
PlatformError), paged history reads, and what is remembered per workspace (scopes, the
channels the bot may post in, which members are bots). SlackPlatform builds on it; the
permission pre-flight reads through it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.cache import TtlCache
from adapters.slack.client import (
    MAX_RATE_LIMIT_RETRIES,
    SharedSession,
    posting_client,
    retry_after,
    without_rate_limit_retries,
)
from adapters.slack.oauth import TokenSource
from adapters.slack.rate_buckets import NoPacing, SlackPacing
from bot.core.ports import PlatformError

# Errors that no retry can fix: the schedule is paused and the managers are told.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "channel_not_found",
        "ekm_access_denied",
        "invalid_auth",
        "is_archived",
        "method_not_supported_for_channel_type",
        "missing_scope",
        "no_permission",
        "not_allowed_token_type",
        "not_authed",
        "not_in_channel",
        "not_installed",
        "restricted_action",
        "team_access_not_granted",
        "token_revoked",
    }
)
_HISTORY_PAGE = 200
_HISTORY_MAX_PAGES = 10
_BOT_CACHE_LIMIT = 10_000
# Errors after which what the pre-flight remembers of a workspace is asked again.
_FORGET_ON = frozenset(
    {
        "missing_scope",
        "invalid_auth",
        "token_revoked",
        "account_inactive",
        "not_installed",
        "not_in_channel",
        "channel_not_found",
        "is_archived",
    }
)
SCOPES_TTL_SECONDS = 300.0
CHANNELS_TTL_SECONDS = 60.0


class SlackWebApi:
    """Calls the Web API as each workspace's bot and remembers what it may for a while."""

    def __init__(
        self,
        client: AsyncWebClient,
        tokens: TokenSource,
        pacing: SlackPacing | NoPacing | None = None,
    ) -> None:
        # 429s are retried by `call`, through the pacer (which learns the burst from them),
        # not inside slack_sdk, where the retry would bypass the pacer.
        self.client = without_rate_limit_retries(client)
        self._post_client = without_rate_limit_retries(posting_client(client.base_url))
        self.tokens = tokens
        self._is_bot: dict[tuple[str, str], bool] = {}
        self.pacing = pacing if pacing is not None else SlackPacing()
        self.http = SharedSession()
        self.scopes: TtlCache[set[str] | None] = TtlCache(SCOPES_TTL_SECONDS)
        self.channel_lists: TtlCache[dict[str, dict[str, Any]]] = TtlCache(CHANNELS_TTL_SECONDS)

    async def call(
        self, team: str, method: str, via: AsyncWebClient | None = None, **params: Any
    ) -> AsyncSlackResponse:
        """Call a Web API method as the workspace's bot; failures become PlatformError."""
        token = await self.tokens.bot_token(team)
        web = via or self.client
        self.http.attach(self.client, self._post_client)
        channel = params.get("channel")
        for attempt in range(MAX_RATE_LIMIT_RETRIES + 1):
            await self.pacing.before(team, method, channel)
            try:
                response: AsyncSlackResponse = await getattr(web, method)(token=token, **params)
            except SlackApiError as exc:
                if exc.response.status_code == 429 and attempt < MAX_RATE_LIMIT_RETRIES:
                    await self.pacing.refused(team, method, channel, retry_after(exc))
                    continue
                raise self._refusal(team, method, exc) from exc
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                raise PlatformError(
                    f"Slack {method} unreachable: {exc!r}", code="connection"
                ) from exc
            return response
        raise AssertionError("unreachable")

    def _refusal(self, team: str, method: str, exc: SlackApiError) -> PlatformError:
        code = str(exc.response.get("error", "")) or f"http_{exc.response.status_code}"
        if code in _FORGET_ON:
            self.scopes.forget(team)
            self.channel_lists.forget(team)
        return PlatformError(
            f"Slack {method} failed: {code}", permanent=code in PERMANENT_ERRORS, code=code
        )

    async def _messages(
        self, community: str, method: str, **params: Any
    ) -> AsyncIterator[dict[str, Any]]:
        """The messages of a paged history call, page by page, at most _HISTORY_MAX_PAGES."""
        cursor = ""
        for _ in range(_HISTORY_MAX_PAGES):
            page: dict[str, Any] = {"cursor": cursor} if cursor else {}
            response = await self.call(community, method, limit=_HISTORY_PAGE, **params, **page)
            for item in response.get("messages") or []:
                yield item
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return

    async def is_bot(self, community: str, user: str) -> bool:
        """Whether a member is a bot (Tigerbird included), from users.info, remembered."""
        if (community, user) not in self._is_bot:
            try:
                profile = (await self.call(community, "users_info", user=user)).get("user") or {}
            except PlatformError as exc:
                if exc.code != "user_not_found":
                    raise
                profile = {}
            if len(self._is_bot) >= _BOT_CACHE_LIMIT:
                self._is_bot.clear()
            self._is_bot[(community, user)] = bool(profile.get("is_bot"))
        return self._is_bot[(community, user)]
