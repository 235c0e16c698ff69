"""What adapters hand to the chat commands and what they get back: platform-neutral."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.domain import PlatformName


@dataclass(frozen=True)
class Invocation:
    """Who typed a command where. `member_is_admin` is decided server-side by the adapter
    from the platform itself (Slack is_admin/is_owner; Discord Manage Server), and so is
    `member_is_installer` (the member who installed Tigerbird, who gets the review DMs).
    `channels` are the community's (id, name) text channels when the platform lists them
    (Discord), None when it does not."""

    platform: PlatformName
    community: str
    channel: str
    member_id: str
    member_is_admin: bool
    member_roles: tuple[str, ...] = ()
    community_name: str = ""
    member_is_installer: bool = False
    channels: tuple[tuple[str, str], ...] | None = None


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
    refused: bool = False  # refused or failed: nothing changed, a review message stays as it is


class CommandError(Exception):
    """Bad input to a command; the message is shown to the member as it is."""
