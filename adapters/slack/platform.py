"""bot.core.ports.Platform for Slack, over the Web API with slack_sdk's AsyncWebClient."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import (
    PROMPT_EVENT_TYPE,
    Block,
    escape,
    prompt_blocks,
    prompt_metadata,
    prompt_text,
)
from adapters.slack.emoji_names import from_slack_name, slack_name
from adapters.slack.oauth import TokenSource
from adapters.slack.preflight import check_channel
from adapters.slack.rate_buckets import NoPacing, SlackPacing
from adapters.slack.translate import HUMAN_SUBTYPES, slack_time
from adapters.slack.web_api import SlackWebApi
from bot.core.domain import PlatformName, Target
from bot.core.ports import IncompletePost, Missing, PlatformError, PromptMessage
from bot.core.rituals import MemberName, Spoken

log = logging.getLogger(__name__)

_POST_ATTEMPTS = 3
_POST_BACKOFF_SECONDS = 0.5
_CLOCK_SKEW = timedelta(minutes=5)
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
ManagerLookup = Callable[[str], Awaitable[Sequence[str]]]
_ADMIN_PAGES = 10
# A post's choice reactions are awaited this long; those still waiting for their workspace's
# reactions.add budget (a fan-out to many channels of one workspace) finish in the
# background, so the post's delivery slot is free for other workspaces.
REACTION_WAIT_SECONDS = 0.25
REACTION_PATIENCE_SECONDS = 90.0
SHUTDOWN_WAIT_SECONDS = 10.0


class SlackPlatform(SlackWebApi):
    """Posts prompts, pins, checks permissions, finds posts and DMs managers on Slack."""

    name = PlatformName.SLACK

    def __init__(
        self,
        client: AsyncWebClient,
        tokens: TokenSource,
        manager_ids: Sequence[str] = (),
        community_managers: ManagerLookup | None = None,
        pacing: SlackPacing | NoPacing | None = None,
    ) -> None:
        super().__init__(client, tokens, pacing)
        self._manager_ids = tuple(manager_ids)
        self._community_managers = community_managers
        self._reacting: set[asyncio.Task[None]] = set()
        self._told: set[tuple[str, str]] = set()
        self.reactions_given_up = 0
        self.shutdown_wait = SHUTDOWN_WAIT_SECONDS

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        target = await self._post_once(community, channel, message)
        if message.choices:
            emoji = [choice.emoji for choice in message.choices]
            reacting = asyncio.create_task(self._react_all(community, target, emoji))
            self._reacting.add(reacting)
            reacting.add_done_callback(self._reacting.discard)
            await asyncio.wait({reacting}, timeout=REACTION_WAIT_SECONDS)
        return target

    async def drain(self) -> None:
        """Wait until every choice reaction still in the background is added (or given up)."""
        while self._reacting:
            await asyncio.gather(*self._reacting)

    async def aclose(self) -> None:
        """Shutdown: give background reactions a few seconds, then close the HTTP session."""
        if self._reacting:
            _, late = await asyncio.wait(set(self._reacting), timeout=self.shutdown_wait)
            for task in late:
                task.cancel()
            if late:
                log.warning(
                    "Shutting down: %d posts left without their choice reactions", len(late)
                )
        await self.http.close()

    async def complete_post(self, community: str, target: Target, message: PromptMessage) -> Target:
        """The choice reactions, awaited (one already there counts as added); on Slack the
        message is its own thread, so there is nothing else to add."""
        failed: list[tuple[str, PlatformError]] = []
        for choice in message.choices:
            try:
                await self._add_reaction(community, target, choice.emoji)
            except PlatformError as exc:
                failed.append((f"reaction {choice.emoji}", exc))
        if failed:
            raise IncompletePost.of_parts(target, failed)
        return target

    async def _react_all(self, community: str, target: Target, emoji: list[str]) -> None:
        """The background reactions of a post: a refused one is retried until
        REACTION_PATIENCE_SECONDS have passed (well within the slot's claim lease); one that
        still fails is logged as an error and counted, and a permission refusal is told to
        the workspace's managers once per channel."""
        for one in emoji:
            try:
                await self._react_patiently(community, target, one)
            except PlatformError as exc:
                self.reactions_given_up += 1
                log.error("Gave up adding %s to %s: %s", one, target.message_id, exc.code)
                if exc.permanent and (community, target.channel) not in self._told:
                    self._told.add((community, target.channel))
                    await self._tell_managers_quietly(
                        community,
                        f"Tigerbird could not add the choice reactions to its prompt in "
                        f"<#{target.channel}> ({exc.code}). Check that Tigerbird still has "
                        "the reactions:write scope and is in the channel.",
                    )

    async def _react_patiently(self, community: str, target: Target, emoji: str) -> None:
        deadline = asyncio.get_running_loop().time() + REACTION_PATIENCE_SECONDS
        delay = 1.0
        while True:
            try:
                await self._add_reaction(community, target, emoji)
                return
            except PlatformError as exc:
                if exc.permanent or asyncio.get_running_loop().time() + delay > deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 16.0)

    async def _tell_managers_quietly(self, community: str, text: str) -> None:
        try:
            await self.notify_managers(community, text)
        except PlatformError as exc:
            log.warning("Could not tell the managers of %s: %s", community, exc)

    async def _post_once(self, community: str, channel: str, message: PromptMessage) -> Target:
        """chat.postMessage, retried after a 5xx or a dropped connection only when the
        channel history shows the message was not posted after all."""
        started = datetime.now(UTC) - _CLOCK_SKEW
        for attempt in range(_POST_ATTEMPTS):
            try:
                response = await self.call(
                    community,
                    "chat_postMessage",
                    via=self._post_client,
                    channel=channel,
                    text=prompt_text(message),
                    blocks=prompt_blocks(message),
                    metadata=prompt_metadata(message.marker),
                    unfurl_links=False,
                    unfurl_media=False,
                )
                return Target(channel=str(response["channel"]), message_id=str(response["ts"]))
            except PlatformError as exc:
                if exc.permanent or attempt == _POST_ATTEMPTS - 1:
                    raise
                failure = exc
            found = await self._look_for(community, channel, message.marker, started, failure)
            if found is not None:
                return found
            await asyncio.sleep(_POST_BACKOFF_SECONDS * 2**attempt)
        raise AssertionError("unreachable")

    async def _look_for(
        self, community: str, channel: str, marker: str, since: datetime, failure: PlatformError
    ) -> Target | None:
        try:
            return await self.find_post(community, channel, marker, since)
        except PlatformError:
            raise failure from None

    async def _add_reaction(self, community: str, target: Target, emoji: str) -> None:
        name = slack_name(emoji)
        if name is None:
            log.warning("No Slack name known for choice emoji %r; reaction skipped", emoji)
            return
        try:
            await self.call(
                community,
                "reactions_add",
                channel=target.channel,
                timestamp=target.message_id,
                name=name,
            )
        except PlatformError as exc:
            if exc.code != "already_reacted":
                raise

    async def pin(self, community: str, target: Target) -> None:
        await self._pin("pins_add", community, target, ignore="already_pinned")

    async def unpin(self, community: str, target: Target) -> None:
        await self._pin("pins_remove", community, target, ignore="no_pin")

    async def _pin(self, method: str, community: str, target: Target, ignore: str) -> None:
        try:
            await self.call(community, method, channel=target.channel, timestamp=target.message_id)
        except PlatformError as exc:
            if exc.code not in {ignore, "message_not_found"}:
                raise

    async def check_permissions(
        self, community: str, channel: str, *, pin: bool, thread: bool, ping_role: str | None
    ) -> list[Missing]:
        return await check_channel(self, community, channel, pin=pin)

    async def find_post(
        self, community: str, channel: str, marker: str, since: datetime
    ) -> Target | None:
        async for item in self._messages(
            community,
            "conversations_history",
            channel=channel,
            oldest=f"{since.timestamp():.6f}",
            include_all_metadata=True,
        ):
            if _carries_marker(item, marker):
                return Target(channel=channel, message_id=str(item["ts"]))
        return None

    async def current_reactions(self, community: str, target: Target) -> list[tuple[str, str]]:
        """(member, emoji) of every person's reaction on the message, emoji named as the
        reaction_added listener names them, so a catch-up never flips a stored reaction."""
        response = await self.call(
            community,
            "reactions_get",
            channel=target.channel,
            timestamp=target.message_id,
            full=True,
        )
        message: dict[str, Any] = response.get("message") or {}
        found: dict[tuple[str, str], None] = {}
        for reaction in message.get("reactions") or []:
            emoji = from_slack_name(str(reaction.get("name") or ""))
            for user in reaction.get("users") or []:
                if not await self.is_bot(community, str(user)):
                    found[(str(user), emoji)] = None
        return list(found)

    async def current_replies(self, community: str, target: Target) -> list[tuple[str, datetime]]:
        """(member, when) of every person's reply in the post's thread (conversations.replies,
        paged), read as the message listener reads them: the post itself and bots left out."""
        found: list[tuple[str, datetime]] = []
        async for item in self._messages(
            community, "conversations_replies", channel=target.channel, ts=target.message_id
        ):
            user, subtype = str(item.get("user") or ""), item.get("subtype")
            if (
                item.get("ts") == target.message_id
                or not user
                or item.get("bot_id")
                or not (subtype is None or isinstance(subtype, str))
                or subtype not in HUMAN_SUBTYPES
                or await self.is_bot(community, user)
            ):
                continue
            found.append((user, slack_time(item.get("ts"))))
        return found

    async def managers(self, community: str) -> list[str]:
        """Who hears about problems: the installing user, the workspace's manager list
        (`/tigerbird settings managers add`), then TIGERBIRD_MANAGERS."""
        installer = await self.tokens.installer(community)
        listed = await self._community_managers(community) if self._community_managers else ()
        everyone = [*([installer] if installer else []), *listed, *self._manager_ids]
        if not everyone:
            everyone = await self._workspace_admins(community)
        return [m for m in dict.fromkeys(everyone) if _SLACK_USER_ID.match(m)]

    async def _workspace_admins(self, community: str) -> list[str]:
        """With nobody configured, the workspace's admins and owners hear about problems."""
        admins: list[str] = []
        cursor = ""
        for _ in range(_ADMIN_PAGES):
            page = await self.call(community, "users_list", limit=200, cursor=cursor or None)
            members: list[dict[str, Any]] = page.get("members") or []
            admins += [
                str(u["id"])
                for u in members
                if (u.get("is_admin") or u.get("is_owner"))
                and not u.get("is_bot")
                and not u.get("deleted")
            ]
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                break
        return admins

    async def notify_managers(self, community: str, text: str) -> None:
        recipients = await self.managers(community)
        if not recipients:
            log.warning("No manager or admin to notify in %s: %s", community, text)
        for member in recipients:
            try:
                await self.direct_message(community, member, text)
            except PlatformError as exc:
                log.warning("Could not DM manager %s in %s: %s", member, community, exc.code)

    async def direct_message(
        self, community: str, member: str, text: str, blocks: list[Block] | None = None
    ) -> Target:
        """DM one member (text is escaped); return where the message landed."""
        opened = await self.call(community, "conversations_open", users=member)
        dm_channel = str(opened["channel"]["id"])
        extra: dict[str, Any] = {"blocks": blocks} if blocks else {}
        sent = await self.call(
            community, "chat_postMessage", channel=dm_channel, text=escape(text), **extra
        )
        return Target(channel=dm_channel, message_id=str(sent["ts"]))

    async def say_in_thread(self, community: str, target: Target, parts: Spoken) -> None:
        """bot.core.ports.ThreadMessages: text escaped (no link or mention works); a member is
        shown by their display name, never as a mention (which would ping them)."""
        shown = [
            escape(part) if isinstance(part, str) else escape(await self._name(community, part))
            for part in parts
        ]
        await self.call(
            community,
            "chat_postMessage",
            channel=target.channel,
            thread_ts=target.thread_id or target.message_id,
            text="".join(shown),
            unfurl_links=False,
            unfurl_media=False,
        )

    async def _name(self, community: str, member: MemberName) -> str:
        try:
            found = await self.call(community, "users_info", user=member.member_id)
        except PlatformError:
            return "a member"
        user = found.get("user") or {}
        profile = user.get("profile") or {}
        return str(
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("name")
            or "a member"
        )

    async def message_member(self, community: str, member_id: str, text: str) -> bool:
        """bot.core.ports.MemberMessages: a DM; False (logged) when Slack refuses it."""
        try:
            await self.direct_message(community, member_id, text)
        except PlatformError as exc:
            log.warning("Could not DM member %s in %s: %s", member_id, community, exc.code)
            return False
        return True


def _carries_marker(item: dict[str, Any], marker: str) -> bool:
    metadata = item.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return bool(metadata.get("event_type") == PROMPT_EVENT_TYPE and payload.get("marker") == marker)
