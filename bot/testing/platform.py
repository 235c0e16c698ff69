"""A complete fake platform that records a transcript, and a clock tests can move."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core.domain import PlatformName, Target
from bot.core.ports import IncompletePost, Missing, PlatformError, PromptMessage
from bot.core.rituals import Spoken


@dataclass
class FakeMessage:
    community: str
    channel: str
    message: PromptMessage
    target: Target
    at: datetime
    pinned: bool = False


@dataclass
class FakePlatform:
    """Implements bot.core.ports.Platform in memory.

    `transcript` lists every call as a short string; `messages` holds what was posted.
    `fail_next` makes the next posts raise the given errors, in order.
    `missing` maps a channel to the permissions it lacks.
    `part_failures` makes the next posts or completions land without the given parts
    (names, permanent?), in order; `completed` lists the messages `complete_post` finished;
    `pin_failures` makes the next pins raise.
    """

    name: PlatformName = PlatformName.SLACK
    clock: FrozenClock | None = None
    transcript: list[str] = field(default_factory=list)
    messages: list[FakeMessage] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)
    fail_next: list[PlatformError] = field(default_factory=list)
    missing: dict[str, list[Missing]] = field(default_factory=dict)
    lose_reply: bool = False
    reactions: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    replies: dict[str, list[tuple[str, datetime]]] = field(default_factory=dict)
    broken_marker: str | None = None  # posting this slot raises a non-platform error
    said: list[tuple[str, Target, Spoken]] = field(default_factory=list)  # in threads
    part_failures: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)
    pin_failures: list[PlatformError] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)

    def _now(self) -> datetime:
        return self.clock.now() if self.clock else datetime.now(UTC)

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        self.transcript.append(f"post {channel} {message.marker}")
        if message.marker == self.broken_marker:
            raise ValueError(f"cannot render {message.marker}")  # a bug, not a platform error
        if self.fail_next:
            raise self.fail_next.pop(0)
        message_id = f"m{len(self.messages) + 1}"
        thread = f"t{len(self.messages) + 1}" if message.open_thread else None
        target = Target(channel, message_id, thread)
        self.messages.append(FakeMessage(community, channel, message, target, self._now()))
        if self.lose_reply:
            # The platform accepted the post but the answer never came back (a crash or timeout).
            self.lose_reply = False
            raise PlatformError("connection reset after send")
        self._refuse_parts(target)
        return target

    async def complete_post(self, community: str, target: Target, message: PromptMessage) -> Target:
        self._refuse_parts(target)
        self.completed.append(target.message_id)
        thread = target.thread_id or (f"t{target.message_id[1:]}" if message.open_thread else None)
        return Target(target.channel, target.message_id, thread)

    def _refuse_parts(self, target: Target) -> None:
        if self.part_failures:
            parts, permanent = self.part_failures.pop(0)
            error = PlatformError(f"{', '.join(parts)} refused", permanent=permanent)
            raise IncompletePost.of_parts(target, [(part, error) for part in parts])

    async def pin(self, community: str, target: Target) -> None:
        self.transcript.append(f"pin {target.message_id}")
        if self.pin_failures:
            raise self.pin_failures.pop(0)
        for m in self.messages:
            if m.target.message_id == target.message_id:
                m.pinned = True

    async def unpin(self, community: str, target: Target) -> None:
        self.transcript.append(f"unpin {target.message_id}")
        for m in self.messages:
            if m.target.message_id == target.message_id:
                m.pinned = False

    async def check_permissions(
        self, community: str, channel: str, *, pin: bool, thread: bool, ping_role: str | None
    ) -> list[Missing]:
        return list(self.missing.get(channel, []))

    async def find_post(
        self, community: str, channel: str, marker: str, since: datetime
    ) -> Target | None:
        self.transcript.append(f"find {channel} {marker}")
        for m in self.messages:
            if m.channel == channel and m.message.marker == marker and m.at >= since:
                return m.target
        return None

    async def notify_managers(self, community: str, text: str) -> None:
        self.transcript.append(f"notify {community}")
        self.notices.append((community, text))

    async def current_reactions(self, community: str, target: Target) -> list[tuple[str, str]]:
        self.transcript.append(f"reactions {target.message_id}")
        return sorted(self.reactions.get(target.message_id, set()))

    async def current_replies(self, community: str, target: Target) -> list[tuple[str, datetime]]:
        self.transcript.append(f"replies {target.message_id}")
        return list(self.replies.get(target.message_id, []))

    async def say_in_thread(self, community: str, target: Target, parts: Spoken) -> None:
        """bot.core.ports.ThreadMessages: recorded in `said` (not in the transcript)."""
        self.said.append((community, target, parts))

    def said_text(self) -> list[str]:
        """What was said in threads, names shown as @id."""
        return [
            "".join(p if isinstance(p, str) else f"@{p.member_id}" for p in parts)
            for _, _, parts in self.said
        ]

    def posted_markers(self) -> list[str]:
        return [m.message.marker for m in self.messages]


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, instant: datetime) -> None:
        self._now = instant.astimezone(UTC)
