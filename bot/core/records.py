"""Plain records the storage ports take and return (re-exported by `bot.core.ports`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Protocol

from bot.core.domain import CatchUp, ResponseKind, ScheduleSpec


@dataclass(frozen=True)
class NewSchedule:
    community_id: int
    channel: str
    spec: ScheduleSpec
    catch_up: CatchUp = CatchUp.LATEST
    catch_up_limit: int = 3
    thread: bool = True
    pin: bool = False
    ping_role: str | None = None
    categories: tuple[str, ...] = ()
    repeat_window_days: int = 60


@dataclass(frozen=True, slots=True)
class PickProvenance:
    """How a post's prompt was picked: `arm` is "policy" or "holdout" (uniform among
    `eligible` prompts); `draws` is how many posterior draws estimated the policy's
    probability of the pick (None when it gave none)."""

    arm: str
    eligible: int
    draws: int | None = None
    wording: str | None = None  # the key of the wording posted (bot.core.wordings)

    @staticmethod
    def columns(provenance: PickProvenance | None) -> dict[str, str | int | None]:
        """The post's pick_arm, pick_eligible, pick_draws and wording (all None without
        provenance)."""
        if provenance is None:
            return {"pick_arm": None, "pick_eligible": None, "pick_draws": None, "wording": None}
        return {
            "pick_arm": provenance.arm,
            "pick_eligible": provenance.eligible,
            "pick_draws": provenance.draws,
            "wording": provenance.wording,
        }


@dataclass(frozen=True, slots=True)
class PickOutcome:
    """A closed post's provenance and engagement, for the lift estimate."""

    community_id: int
    arm: str
    pick_probability: float | None
    eligible: int
    responders: int
    audience: int


@dataclass(frozen=True, slots=True)
class PostRef:
    """Where an engagement event lands: the post and its schedule's channel."""

    post_id: int
    channel: str


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """One response to store: (post, member, kind, emoji) is unique; `at` is when it came."""

    post_id: int
    member_key: str
    kind: ResponseKind
    emoji: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    """A member seen in a channel at `at`."""

    community_id: int
    channel: str
    member_key: str
    at: datetime


@dataclass(frozen=True, slots=True)
class RecordedOutcome:
    """A closed post's recorded engagement, with what learning needs of its schedule and
    prompt (`category` is None if the post has no prompt or the prompt is gone)."""

    post_id: int
    prompt_id: int | None
    category: str | None
    slot_at: datetime
    responders: int | None
    audience: int | None
    outcome_at: datetime
    community_id: int
    channel: str
    timezone: str
    wording: str | None = None  # the key of the wording posted, None before migration 0010


@dataclass(frozen=True)
class MemberData:
    """Everything stored about one pseudonymous member, as printable strings."""

    member_key: str
    responses: list[dict[str, str]]
    activity: list[dict[str, str]]
    suggestions: list[dict[str, str]]
    managing: list[dict[str, str]] = field(default_factory=list)
    slack_installations: list[dict[str, str]] = field(default_factory=list)
    rituals: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Forgotten:
    """What forgetting a member removed or changed, counted."""

    responses: int
    activity: int
    posts_reset: int
    suggestions_unattributed: int
    manager_listings: int = 0
    rituals: int = 0  # ritual choices, milestones, kept replies and their reactions


# The columns of the exported rows (`bot.core.ports.ExportReader`), in CSV order.
POST_COLUMNS = (
    "post_id",
    "community",
    "channel",
    "prompt_id",
    "category",
    "prompt",
    "slot_at",
    "posted_at",
    "status",
    "message_id",
    "responders",
    "audience",
    "outcome_at",
)
RESPONSE_COLUMNS = ("post_id", "community", "channel", "member_key", "kind", "emoji", "at")


def export_text(value: object) -> str:
    """One exported cell: empty for None, ISO 8601 for a time, else the plain string (an
    enum's value)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


class ExportedPost(Protocol):
    """The fields of a stored post that an export row carries (a SQL row or a memory record)."""

    @property
    def id(self) -> int: ...
    @property
    def prompt_id(self) -> int | None: ...
    @property
    def slot_at(self) -> datetime: ...
    @property
    def posted_at(self) -> datetime | None: ...
    @property
    def status(self) -> object: ...
    @property
    def message_id(self) -> str | None: ...
    @property
    def responders(self) -> int | None: ...
    @property
    def audience(self) -> int | None: ...
    @property
    def outcome_at(self) -> datetime | None: ...


def post_export_row(
    post: ExportedPost,
    community: str,
    channel: str,
    category: str | None,
    text: str | None,
) -> dict[str, str]:
    """One exported post, its cells in POST_COLUMNS order (the same for every store)."""
    values = (
        post.id,
        community,
        channel,
        post.prompt_id,
        category,
        text,
        post.slot_at,
        post.posted_at,
        post.status,
        post.message_id,
        post.responders,
        post.audience,
        post.outcome_at,
    )
    return dict(zip(POST_COLUMNS, map(export_text, values), strict=True))


def response_export_row(values: tuple[object, ...]) -> dict[str, str]:
    """One exported response, its cells in RESPONSE_COLUMNS order."""
    return dict(zip(RESPONSE_COLUMNS, map(export_text, values), strict=True))
