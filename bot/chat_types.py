"""What adapters hand to the chat commands and what they get back: platform-neutral."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import PlatformName


@dataclass(frozen=True)
class Invocation:
    """Who typed a command where. `member_is_admin` is decided server-side by the adapter
    from the platform itself (Slack is_admin/is_owner; Discord Manage Server)."""

    platform: PlatformName
    community: str
    channel: str
    member_id: str
    member_is_admin: bool
    member_roles: tuple[str, ...] = ()
    community_name: str = ""


@dataclass(frozen=True)
class Review:
    """A member's suggestion for the managers to approve or reject."""

    prompt_id: int
    text: str
    category: str
    suggested_by: str
    closest: str | None
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    """The answer to a command. Text is safe to post: mentions are already neutralised."""

    text: str
    private: bool = True
    review: Review | None = None
    direct_message: tuple[str, str] | None = None
    chart_png: bytes | None = None


class CommandError(Exception):
    """Bad input to a command; the message is shown to the member as it is."""
