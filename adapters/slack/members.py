"""Which Slack users are bots, learned without holding up an acknowledgement.

A reaction carries no bot flag, and asking Slack before acknowledging it can miss Slack's
3-second deadline. So an event is recorded at once, and the user is looked up afterwards: a
workspace's member list (users.list, paged, paced by its tier) is read in the background, and
users.info asked only for a user the list does not know. A user found to be a bot has what was
recorded of them removed (`reconcile`), and their later events are dropped before recording.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.core.ports import PlatformError

log = logging.getLogger(__name__)
LIST_PAGE = 200
LIST_MAX_PAGES = 50  # 10,000 members; beyond that users.info answers for the rest
LIST_TTL_SECONDS = 3600.0
USERS_LIMIT = 200_000  # every workspace's users together; forgotten at once beyond it


class WebApi(Protocol):
    async def call(self, team: str, method: str, **params: Any) -> Any: ...


Reconcile = Callable[[str, str], Awaitable[object]]


class MemberDirectory:
    """Per workspace: user id -> is a bot. Lookups run in one background task per workspace."""

    def __init__(
        self,
        web: WebApi,
        reconcile: Reconcile,
        list_ttl: float = LIST_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._web = web
        self._reconcile = reconcile
        self._list_ttl = list_ttl
        self._clock = clock
        self._bots: dict[str, dict[str, bool]] = {}
        self._listed_at: dict[str, float] = {}
        self._pending: dict[str, set[str]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._known = 0

    def known_bot(self, team: str, user: str) -> bool:
        """Whether the user is known to be a bot (no platform call; unknown counts as member)."""
        return self._bots.get(team, {}).get(user, False)

    def recorded(self, team: str, user: str) -> None:
        """An event of `user` was recorded: look them up later unless known to be a member (a
        known bot's event was recorded while it was being learned: it is removed again)."""
        if self._bots.get(team, {}).get(user) is False:
            return
        self._pending.setdefault(team, set()).add(user)
        if team not in self._workers:
            self._workers[team] = asyncio.create_task(self._work(team))

    async def settled(self) -> None:
        """Wait for every lookup under way (tests, shutdown)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._workers.values()):
            task.cancel()
        await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    async def _work(self, team: str) -> None:
        try:
            while pending := self._pending.pop(team, set()):
                await self._resolve(team, pending)
        except Exception:
            log.exception("Looking up Slack users of %s failed", team)
        finally:
            del self._workers[team]

    async def _resolve(self, team: str, users: set[str]) -> None:
        if self._clock() - self._listed_at.get(team, float("-inf")) >= self._list_ttl:
            await self._list(team)
        for user in sorted(users):
            known = self._bots.get(team, {}).get(user)
            if known is None:
                known = await self._info(team, user)
            if known:
                await self._remove(team, user)

    async def _list(self, team: str) -> None:
        cursor = ""
        try:
            for _ in range(LIST_MAX_PAGES):
                page = await self._web.call(
                    team, "users_list", limit=LIST_PAGE, **({"cursor": cursor} if cursor else {})
                )
                for member in page.get("members") or []:
                    if isinstance(member, dict) and isinstance(member.get("id"), str):
                        self._learn(team, member["id"], _is_bot(member))
                cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
                if not cursor:
                    break
        except PlatformError as exc:
            log.warning("users.list failed for %s: %s", team, exc.code)
        self._listed_at[team] = self._clock()

    async def _info(self, team: str, user: str) -> bool:
        try:
            found = (await self._web.call(team, "users_info", user=user)).get("user") or {}
        except PlatformError as exc:
            if exc.code != "user_not_found":
                log.warning("users.info failed for %s: %s", user, exc.code)
                return False  # asked again the next time they are recorded
            found = {}
        bot = _is_bot(found)
        self._learn(team, user, bot)
        return bot

    async def _remove(self, team: str, user: str) -> None:
        try:
            await self._reconcile(team, user)
        except Exception:
            log.exception("Could not remove what bot %s was recorded doing in %s", user, team)

    def _learn(self, team: str, user: str, bot: bool) -> None:
        if self._known >= USERS_LIMIT:
            self._bots.clear()
            self._listed_at.clear()
            self._known = 0
        users = self._bots.setdefault(team, {})
        self._known += user not in users
        users[user] = bot


def _is_bot(user: dict[str, Any]) -> bool:
    # Slackbot is flagged as a bot by id only.
    return bool(user.get("is_bot")) or user.get("id") == "USLACKBOT"
