"""Ports towards the outside world: the chat platforms, worker liveness and the clock."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.domain import Choice, PlatformName, Target


@dataclass(frozen=True)
class PromptMessage:
    """Everything a platform needs to post one prompt for one slot.

    `marker` identifies the slot; the platform stores it with the message (Discord nonce,
    Slack metadata) so that `find_post` can recognise the message after a crash.
    """

    text: str
    category: str
    marker: str
    choices: tuple[Choice, ...] = ()
    open_thread: bool = True
    thread_title: str = ""
    ping_role: str | None = None


@dataclass(frozen=True)
class Missing:
    """A permission or condition the bot lacks in a channel, said so a manager can fix it."""

    what: str
    how_to_fix: str


class PlatformError(Exception):
    """A call to a platform failed. `permanent` errors (channel gone, bot removed, token
    revoked) pause the schedule; the others are retried."""

    def __init__(self, message: str, *, permanent: bool = False, code: str = "") -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code


class IncompletePost(PlatformError):
    """The message was posted (`target`) but some of its parts were not: `missing` names
    them ("reaction 🍵", "thread", "pin"). `permanent` when none of them can be added as the
    schedule is configured (a permission removed); otherwise they are retried."""

    def __init__(
        self,
        message: str,
        target: Target,
        missing: tuple[str, ...],
        *,
        permanent: bool = False,
        code: str = "",
    ) -> None:
        super().__init__(message, permanent=permanent, code=code)
        self.target = target
        self.missing = missing

    @classmethod
    def of_parts(cls, target: Target, failed: list[tuple[str, PlatformError]]) -> IncompletePost:
        """One error for the parts that failed: permanent only when every one of them is."""
        reasons = "; ".join(f"{part}: {error}" for part, error in failed)
        return cls(
            f"posted without {', '.join(part for part, _ in failed)} ({reasons})",
            target,
            tuple(part for part, _ in failed),
            permanent=all(error.permanent for _, error in failed),
            code=failed[0][1].code,
        )


class Platform(Protocol):
    """A chat platform Tigerbird posts to (Slack, Discord, the console)."""

    name: PlatformName

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        """Post the prompt (with its choice reactions and thread); return where it landed.
        IncompletePost when the message landed but a part of it did not."""
        ...

    async def complete_post(self, community: str, target: Target, message: PromptMessage) -> Target:
        """Add whatever the posted message still lacks (its choice reactions, its thread),
        leaving the parts already there; return the target with its thread. IncompletePost
        as `post` (used to finish a post whose parts failed, and after a restart)."""
        ...

    async def pin(self, community: str, target: Target) -> None: ...

    async def unpin(self, community: str, target: Target) -> None: ...

    async def check_permissions(
        self, community: str, channel: str, *, pin: bool, thread: bool, ping_role: str | None
    ) -> list[Missing]:
        """What stops the bot from posting here as configured (empty when all is well)."""
        ...

    async def find_post(
        self, community: str, channel: str, marker: str, since: datetime
    ) -> Target | None:
        """The message carrying `marker` posted after `since`, if it exists (crash recovery)."""
        ...

    async def notify_managers(self, community: str, text: str) -> None:
        """Tell the community's managers something privately (a DM, a review channel...)."""
        ...

    async def current_reactions(
        self, community: str, target: Target
    ) -> list[tuple[str, str]] | None:
        """(member id, emoji) of every reaction on the message now, bots excluded; used after a
        restart to catch up with reactions added or removed while the bot was away. None when
        the platform cannot list reactions (the console): catch-up then changes nothing."""
        ...

    async def current_replies(self, community: str, target: Target) -> list[tuple[str, datetime]]:
        """(member id, when) of every person's reply to the message (in its thread, or a reply
        to it), bots excluded; used to catch up with replies written while the bot was away."""
        ...


@dataclass(frozen=True)
class Standing:
    """A member's rights in a community as the platform tells them now (never as a session or
    a request claims them): admin (Slack admin/owner, Discord Manage Server), their role ids,
    and whether they installed Tigerbird there."""

    is_admin: bool
    roles: tuple[str, ...] = ()
    is_installer: bool = False


class Standings(Protocol):
    """Asks a platform who a member is in one community (the dashboard's sign-in check)."""

    async def standing(self, community: str, member_id: str) -> Standing | None:
        """The member's standing now; None when they (or the bot) are not in the community."""
        ...


class WorkerLiveness(Protocol):
    """Tells which workers are provably dead, so their claims need not wait out the lease.

    `worker_id` is stamped on this worker's claims; `alive` is False once this worker can no
    longer prove it is alive (others may then take its claims over: it must not post them)."""

    worker_id: str

    @property
    def alive(self) -> bool: ...

    async def dead(self, workers: Collection[str]) -> set[str]:
        """Those of `workers` that are provably dead (never this worker itself)."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...
