"""bot.core.ports.Platform over Discord's REST API, usable from any worker without a gateway."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Literal

import aiohttp
import discord
from discord.utils import escape_mentions

from adapters.discord.guild_cache import ChannelView, cached_channel_view, cached_owner
from adapters.discord.permissions import effective_permissions, missing_permissions
from adapters.discord.render import allowed_mentions, carries_marker, nonce_for, render_prompt
from adapters.discord.translate import emoji_key  # the live path's naming
from bot.core.domain import PlatformName, Target
from bot.core.ports import IncompletePost, Missing, PlatformError, PromptMessage
from bot.core.rituals import Spoken

log = logging.getLogger(__name__)

PERMANENT_CODES = {
    10003: "unknown_channel",
    10004: "unknown_guild",
    10008: "unknown_message",
    10014: "unknown_emoji",
    50001: "missing_access",
    50013: "missing_permissions",
}
THREAD_ALREADY_EXISTS = 160004
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440  # a day, the '24 h auto-archive'
HISTORY_SCAN_LIMIT = 500
REACTION_PAGE = 100
REPLY_PAGE = 100


class DiscordPlatform:
    """Posts prompts, threads, reactions and pins through discord.py's HTTP client."""

    name = PlatformName.DISCORD

    def __init__(
        self,
        client: discord.Client,
        token: str,
        community_managers: Callable[[str], Awaitable[tuple[str, ...]]] | None = None,
        manager_ids: tuple[str, ...] = (),
    ) -> None:
        self._client = client
        self._token = token
        self._community_managers = community_managers
        self._manager_ids = manager_ids
        self._login_lock = asyncio.Lock()

    async def ensure_login(self) -> None:
        """Open the REST session (idempotent); the gateway is not needed for posting."""
        async with self._login_lock:
            if self._client.user is None:
                await self._client.login(self._token)

    @property
    def client(self) -> discord.Client:
        return self._client

    @property
    def bot_id(self) -> int:
        user = self._client.user
        if user is None:
            raise PlatformError("Discord client is not logged in", code="not_logged_in")
        return user.id

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        await self.ensure_login()
        async with _platform_errors(f"posting to channel {channel}"):
            destination = self._client.get_partial_messageable(
                int(channel), guild_id=int(community), type=discord.ChannelType.text
            )
            # The nonce is the slot marker and discord.py adds enforce_nonce=True: Discord
            # itself returns the first message instead of creating a second for the slot.
            sent = await destination.send(
                content=f"<@&{message.ping_role}>" if message.ping_role else None,
                embed=render_prompt(message),
                nonce=nonce_for(message.marker),
                allowed_mentions=allowed_mentions(message.ping_role),
            )
        return await self.complete_post(community, Target(channel, str(sent.id)), message)

    async def complete_post(self, community: str, target: Target, message: PromptMessage) -> Target:
        """Each choice reaction (adding one already there changes nothing) and the thread
        unless it is known; every part is tried even when an earlier one failed."""
        await self.ensure_login()
        channel_id, message_id = int(target.channel), int(target.message_id)
        failed: list[tuple[str, PlatformError]] = []
        for choice in message.choices:
            try:
                async with _platform_errors(f"reacting in channel {target.channel}"):
                    await self._client.http.add_reaction(
                        channel_id, message_id, _reaction_key(choice.emoji)
                    )
            except PlatformError as exc:
                failed.append((f"reaction {choice.emoji}", exc))
        thread_id = target.thread_id
        if message.open_thread and thread_id is None:
            try:
                async with _platform_errors(f"opening a thread in channel {target.channel}"):
                    thread_id = await self._open_thread(channel_id, message_id, message)
            except PlatformError as exc:
                failed.append(("thread", exc))
        done = Target(target.channel, target.message_id, thread_id)
        if failed:
            raise IncompletePost.of_parts(done, failed)
        return done

    async def _open_thread(self, channel_id: int, message_id: int, message: PromptMessage) -> str:
        name = (message.thread_title or message.text)[:100]
        try:
            data = await self._client.http.start_thread_with_message(
                channel_id, message_id, name=name, auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        except discord.HTTPException as exc:
            if exc.code != THREAD_ALREADY_EXISTS:
                raise
            return str(message_id)  # a retried slot: the thread from the first attempt stands
        return str(data["id"])

    async def pin(self, community: str, target: Target) -> None:
        await self.ensure_login()
        async with _platform_errors(f"pinning in channel {target.channel}"):
            await self._client.http.pin_message(int(target.channel), int(target.message_id))

    async def unpin(self, community: str, target: Target) -> None:
        await self.ensure_login()
        try:
            async with _platform_errors(f"unpinning in channel {target.channel}"):
                await self._client.http.unpin_message(int(target.channel), int(target.message_id))
        except PlatformError as exc:
            if exc.code != "unknown_message":  # already deleted: nothing left to unpin
                raise

    async def check_permissions(
        self, community: str, channel: str, *, pin: bool, thread: bool, ping_role: str | None
    ) -> list[Missing]:
        """From the gateway cache when it holds the guild and channel (no request); else REST."""
        view = cached_channel_view(self._client, int(community), int(channel))
        if view is None:
            try:
                view = await self._channel_view_over_rest(community, channel)
            except PlatformError as exc:
                if not exc.permanent:
                    raise
                return [_unreachable(channel, exc)]
        perms = effective_permissions(
            guild_id=int(community),
            owner_id=view.owner_id,
            user_id=self.bot_id,
            roles=view.roles,
            member_role_ids=view.member_role_ids,
            overwrites=view.overwrites,
        )
        role = next((r for r in view.roles if r["id"] == ping_role), None)
        if ping_role and role is None:
            return [
                Missing(
                    what=f"the ping role {ping_role} no longer exists",
                    how_to_fix="choose another role with /tigerbird settings, or turn the ping off",
                )
            ]
        label = f"#{view.channel_name} (<#{channel}>)"
        return missing_permissions(perms, label, pin=pin, thread=thread, ping_role=role)

    async def _channel_view_over_rest(self, community: str, channel: str) -> ChannelView:
        await self.ensure_login()
        http = self._client.http
        async with _platform_errors(f"checking permissions in channel {channel}"):
            guild: Any = await http.get_guild(int(community), with_counts=False)
            member: Any = await http.get_member(int(community), self.bot_id)
            chan: Any = await http.get_channel(int(channel))
        return ChannelView(
            owner_id=int(guild["owner_id"]),
            roles=guild["roles"],
            member_role_ids=[int(r) for r in member["roles"]],
            overwrites=chan.get("permission_overwrites", []),
            channel_name=chan.get("name", channel),
        )

    async def find_post(
        self, community: str, channel: str, marker: str, since: datetime
    ) -> Target | None:
        await self.ensure_login()
        destination = self._client.get_partial_messageable(int(channel), guild_id=int(community))
        async with _platform_errors(f"reading history of channel {channel}"):
            async for message in destination.history(limit=HISTORY_SCAN_LIMIT, after=since):
                if message.author.id == self.bot_id and carries_marker(message, marker):
                    thread = str(message.id) if message.flags.has_thread else None
                    return Target(channel=channel, message_id=str(message.id), thread_id=thread)
        return None

    async def current_reactions(self, community: str, target: Target) -> list[tuple[str, str]]:
        """(member, emoji) of every person's reaction, emoji written as the gateway listener
        writes them, so a catch-up never flips a stored reaction."""
        await self.ensure_login()
        channel, message = int(target.channel), int(target.message_id)
        found: list[tuple[str, str]] = []
        async with _platform_errors(f"reading reactions in channel {target.channel}"):
            data: Any = await self._client.http.get_message(channel, message)
            for reaction in data.get("reactions") or []:
                emoji = emoji_key(discord.PartialEmoji.from_dict(reaction["emoji"]))
                async for user in self._reactors(channel, message, _reaction_key(emoji)):
                    if not user.get("bot") and int(user["id"]) != self.bot_id:
                        found.append((str(user["id"]), emoji))
        return found

    async def current_replies(self, community: str, target: Target) -> list[tuple[str, datetime]]:
        """(member, when) of every person's message in the post's thread, and of every reply
        to the post in its channel, read as the gateway listener reads them."""
        await self.ensure_login()
        found: list[tuple[str, datetime]] = []
        async with _platform_errors(f"reading replies in channel {target.channel}"):
            if target.thread_id:
                async for message in self._messages_after(int(target.thread_id), target):
                    if self._by_a_person(message):
                        found.append(_author_and_time(message))
            async for message in self._messages_after(int(target.channel), target):
                reference = message.get("message_reference") or {}
                to_post = str(reference.get("message_id")) == target.message_id
                if to_post and self._by_a_person(message):
                    found.append(_author_and_time(message))
        return found

    async def _messages_after(self, channel: int, target: Target) -> AsyncIterator[Any]:
        """Messages after the post, oldest pages first, up to HISTORY_SCAN_LIMIT."""
        after, seen = int(target.message_id), 0
        while seen < HISTORY_SCAN_LIMIT:
            page: Any = await self._client.http.logs_from(channel, REPLY_PAGE, after=after)
            for message in page:
                yield message
            seen += len(page)
            if len(page) < REPLY_PAGE:
                return
            after = max(int(m["id"]) for m in page)

    def _by_a_person(self, message: Any) -> bool:
        author = message.get("author") or {}
        return (
            message.get("type") in (0, 19)  # default and reply, as message_events keeps
            and not author.get("bot")
            and not message.get("webhook_id")
            and int(author.get("id") or 0) != self.bot_id
        )

    async def _reactors(self, channel: int, message: int, emoji: str) -> AsyncIterator[Any]:
        after: int | None = None
        while True:
            page: Any = await self._client.http.get_reaction_users(
                channel, message, emoji, REACTION_PAGE, after=after
            )
            for user in page:
                yield user
            if len(page) < REACTION_PAGE:
                return
            after = int(page[-1]["id"])

    async def notify_managers(self, community: str, text: str) -> None:
        """DM the server owner, the server's manager list (`/tigerbird settings managers add`)
        and TIGERBIRD_MANAGERS, each once."""
        await self.ensure_login()
        owner = cached_owner(self._client, int(community))
        if owner is None:
            async with _platform_errors(f"notifying the managers of server {community}"):
                guild: Any = await self._client.http.get_guild(int(community), with_counts=False)
            owner = int(guild["owner_id"])
        listed = await self._community_managers(community) if self._community_managers else ()
        everyone = [str(owner), *listed, *self._manager_ids]
        for member in dict.fromkeys(m for m in everyone if m.isdigit()):
            await self.send_direct(member, text)

    async def send_direct(self, member_id: str, text: str) -> bool:
        """DM a member; False when they do not accept DMs from the server's members."""
        await self.ensure_login()
        http = self._client.http
        try:
            async with _platform_errors(f"messaging member {member_id}"):
                dm: Any = await http.start_private_message(int(member_id))
                destination = self._client.get_partial_messageable(int(dm["id"]))
                await destination.send(content=text[:2000], allowed_mentions=allowed_mentions(None))
        except PlatformError as exc:
            if not exc.permanent:
                raise
            log.warning("could not DM member %s: %s", member_id, exc)
            return False
        return True

    async def say_in_thread(self, community: str, target: Target, parts: Spoken) -> None:
        """bot.core.ports.ThreadMessages: in the post's thread (else as a reply to the post);
        a member is a mention Discord renders as their name, with no mention allowed to ping."""
        await self.ensure_login()
        content = "".join(
            escape_mentions(p) if isinstance(p, str) else _name(p.member_id) for p in parts
        )
        channel = int(target.thread_id or target.channel)
        async with _platform_errors(f"speaking in a thread of channel {target.channel}"):
            kind = (
                discord.ChannelType.public_thread if target.thread_id else discord.ChannelType.text
            )
            destination = self._client.get_partial_messageable(
                channel, guild_id=int(community), type=kind
            )
            mentions = allowed_mentions(None)
            if target.thread_id:
                await destination.send(content=content[:2000], allowed_mentions=mentions)
            else:  # no thread: a reply to the post itself
                reference = discord.MessageReference(
                    message_id=int(target.message_id), channel_id=channel, fail_if_not_exists=False
                )
                await destination.send(
                    content=content[:2000], reference=reference, allowed_mentions=mentions
                )

    async def message_member(self, community: str, member_id: str, text: str) -> bool:
        """bot.core.ports.MemberMessages: a DM, as `send_direct`."""
        return await self.send_direct(member_id, text)


def _name(member_id: str) -> str:
    """A member mention: Discord shows the name; `allowed_mentions` keeps it from pinging."""
    return f"<@{member_id}>" if member_id.isdigit() else "a member"


def _reaction_key(emoji: str) -> str:
    """Discord wants `name:id` for custom emoji and the character itself otherwise."""
    return emoji.strip("<>").removeprefix("a:").lstrip(":") if emoji.startswith("<") else emoji


def _author_and_time(message: Any) -> tuple[str, datetime]:
    return str(message["author"]["id"]), discord.utils.snowflake_time(int(message["id"]))


def _unreachable(channel: str, exc: PlatformError) -> Missing:
    return Missing(
        what=f"Tigerbird cannot see channel <#{channel}> ({exc.code})",
        how_to_fix="check the channel still exists and allow 'View Channel' for the Tigerbird role",
    )


@asynccontextmanager
async def _platform_errors(doing: str) -> AsyncIterator[None]:
    """Turn discord.py's exceptions into PlatformError; 429/5xx were already retried."""
    try:
        yield
    except discord.HTTPException as exc:
        code = PERMANENT_CODES.get(exc.code)
        if exc.status == 401:
            code = "token_revoked"
        permanent = code is not None or exc.status in (401, 403, 404)
        label = code or f"http_{exc.status}_{exc.code}"
        raise PlatformError(
            f"Discord refused {doing}: {exc.text}", permanent=permanent, code=label
        ) from exc
    except discord.RateLimited as exc:
        raise PlatformError(f"rate limited while {doing}", code="rate_limited") from exc
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise PlatformError(f"network error while {doing}: {exc}", code="network") from exc
