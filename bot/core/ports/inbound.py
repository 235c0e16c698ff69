"""Inbound ports: what the chat adapters call into, and what an adapter is to the application.

An adapter turns platform payloads into domain events and invocations and hands them over
through these; it never sees the concrete service, the chat commands or storage."""

from __future__ import annotations

from typing import Protocol

from bot.core.domain import Community, EngagementEvent, PlatformName, Post, Schedule
from bot.core.invocations import Invocation, Reply
from bot.core.ports.platform import Platform


class EventSink(Protocol):
    """Where adapters hand engagement events (reactions, replies, votes, members seen)."""

    async def handle_event(self, event: EngagementEvent) -> None:
        """Record one event; returns once it is committed, so acknowledging after it never
        loses an event. Replays change nothing."""


class CommunityDirectory(Protocol):
    """The communities the bot serves, looked up by the platform's own id."""

    async def community(self, platform: PlatformName, external_id: str) -> Community | None:
        """The community (with its managers), or None when the bot has not met it yet."""


class CoreEntry(EventSink, CommunityDirectory, Protocol):
    """What the Slack and Discord adapters use of the core: events in, communities looked up,
    and what a bot was recorded doing by mistake taken out again."""

    async def remove_bot(self, platform: PlatformName, community: str, member_id: str) -> int:
        """A member whose events were recorded turned out to be a bot: remove their responses
        and activity in that community. Returns how many posts lost a response."""


class ChannelSchedules(Protocol):
    """A channel's schedules and their posts, read-only (what the console shows)."""

    async def schedules_in_channel(
        self, platform: PlatformName, community: str, channel: str
    ) -> list[Schedule]:
        """The schedules posting in one channel."""

    async def posts_of(self, schedule_id: int) -> list[Post]:
        """Every post (slot) of one schedule."""


class ConsoleEntry(EventSink, ChannelSchedules, Protocol):
    """What the console adapter uses of the core."""


class CommandRunner(Protocol):
    """Chat invocations in, replies out (bot.chat.commands.ChatCommands)."""

    async def run(self, inv: Invocation, text: str) -> Reply:
        """Run one `/tigerbird …` command line."""

    async def approve(self, inv: Invocation, prompt_id: int) -> Reply:
        """A manager approves a suggested prompt (a button)."""

    async def reject(self, inv: Invocation, prompt_id: int, reason: str) -> Reply:
        """A manager rejects a suggested prompt, saying why."""


class Adapter(Protocol):
    """One chat platform's connection: the application starts and stops it, and the core posts
    through its `platform`."""

    @property
    def platform(self) -> Platform:
        """The outward port the core posts through."""

    async def start(self) -> None:
        """Connect; returns once the platform is ready (raises why it could not connect)."""

    async def stop(self) -> None:
        """Disconnect; nothing is received afterwards."""
