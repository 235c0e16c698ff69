"""Plain records of the member rituals (streaks, the monthly regulars board, the best answer),
taken and returned by `bot.core.ports.rituals.RitualRepository`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Streak lengths that earn an acknowledgement in the thread.
MILESTONES = (3, 7, 30, 100)


@dataclass(frozen=True, slots=True)
class RitualMember:
    """A member's ritual choices in one community. `opted_out`: no streak acknowledgement,
    never named or counted on a board, their replies never featured. `named`: may be named on
    the regulars board and credited for a best answer; only then is `platform_id` (their raw
    platform id, to render their name) stored."""

    community_id: int
    member_key: str
    opted_out: bool = False
    named: bool = False
    platform_id: str | None = None


@dataclass(frozen=True, slots=True)
class MonthlyResponder:
    """A member's month in a channel: distinct posts answered in it, and when they first
    answered in the channel ever (a first-timer's is inside the month)."""

    member_key: str
    posts_answered: int
    first_answer_at: datetime


@dataclass(frozen=True, slots=True)
class ThreadReply:
    """A reply in a post's thread, kept while its post's 24-hour window is open (to count its
    reactions); afterwards only the featured one stays, and its text only for a week."""

    community_id: int
    post_id: int
    message_id: str
    member_key: str
    at: datetime
    text: str | None = None


@dataclass(frozen=True, slots=True)
class BestAnswer:
    """The featured reply of a post: the one with the most reactions in its first 24 hours."""

    post_id: int
    message_id: str
    member_key: str
    reactions: int
    at: datetime
    text: str | None = None


@dataclass(frozen=True, slots=True)
class MemberName:
    """A member to show by name inside a ritual message: each platform renders the name
    without a ping (Discord: a mention with no allowed mentions; Slack: the display name)."""

    member_id: str


# A ritual message: plain text parts (escaped by the platform) and member names.
Spoken = tuple[str | MemberName, ...]


def choices_row(member: RitualMember) -> dict[str, str]:
    """A member's choices as a `privacy export` row."""
    return {
        "kind": "choices",
        "community_id": str(member.community_id),
        "opted_out": str(member.opted_out).lower(),
        "named": str(member.named).lower(),
        "platform_id": member.platform_id or "",
    }


def reply_row(post_id: int, featured: bool, text: str | None) -> dict[str, str]:
    """A kept reply as a `privacy export` row."""
    kind = "featured reply" if featured else "kept reply"
    return {"kind": kind, "post_id": str(post_id), "text": text or ""}
