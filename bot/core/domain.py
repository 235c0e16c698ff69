"""Tigerbird's domain: plain dataclasses with plain ids, free of any SDK or ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum


class PlatformName(StrEnum):
    CONSOLE = "console"
    SLACK = "slack"
    DISCORD = "discord"


class CatchUp(StrEnum):
    """What to do with slots missed while the bot was down."""

    SKIP = "skip"
    LATEST = "latest"
    ALL = "all"


class PostStatus(StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class ResponseKind(StrEnum):
    REACTION = "reaction"
    REPLY = "reply"


class PromptSource(StrEnum):
    BUILTIN = "builtin"
    CUSTOM = "custom"
    SUGGESTED = "suggested"


class PromptStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"
    PENDING = "pending"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Choice:
    """One tap-to-answer option of a this-or-that prompt: an emoji and its label."""

    emoji: str
    label: str


@dataclass(frozen=True)
class PromptDraft:
    """A prompt as written in a pack or typed by a manager, before it is stored.

    `key` is stable across edits of the text (pack id + prompt id) so that a pack sync
    can tell an edited prompt from a new one.
    """

    key: str
    text: str
    category: str
    tags: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    pack: str | None = None
    # Other wordings of the same question (A/B test); the policy picks one per post.
    variants: tuple[str, ...] = ()


@dataclass
class Prompt:
    id: int
    key: str
    text: str
    category: str
    tags: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    source: PromptSource = PromptSource.BUILTIN
    status: PromptStatus = PromptStatus.ACTIVE
    community_id: int | None = None
    pack: str | None = None
    suggested_by: str | None = None
    created_at: datetime | None = None
    variants: tuple[str, ...] = ()  # other wordings (bot.core.wordings)


@dataclass
class Community:
    """A Slack workspace, a Discord server, or the local console."""

    id: int
    platform: PlatformName
    external_id: str
    name: str = ""
    manager_ids: tuple[str, ...] = ()
    manager_role_ids: tuple[str, ...] = ()
    review_channel: str | None = None
    # Share of this community's slots given to a uniform pick (None: TIGERBIRD_HOLDOUT).
    holdout: float | None = None


@dataclass(frozen=True)
class ScheduleSpec:
    """When a channel gets its prompt, in its own local time.

    Exactly one rhythm applies: `cron` (a 5-field expression) if set, else `every_days`
    (counted from `anchor`), else the weekdays in `days` (0 = Monday) at each of `times`.
    `quiet_dates` are local dates on which nothing fires. `holidays` names public-holiday
    calendars (`US`, `DE-BY`, `GB-SCT`): a slot on one of their local dates is skipped, or
    posts from `holiday_category` when that is set (bot.scheduling.holiday_calendars).
    """

    times: tuple[time, ...] = (time(9, 0),)
    timezone: str = "UTC"
    days: frozenset[int] = frozenset(range(7))
    every_days: int | None = None
    anchor: date | None = None
    cron: str | None = None
    quiet_dates: frozenset[date] = frozenset()
    holidays: tuple[str, ...] = ()
    holiday_category: str | None = None


@dataclass
class Schedule:
    id: int
    community_id: int
    channel: str
    spec: ScheduleSpec
    catch_up: CatchUp = CatchUp.LATEST
    catch_up_limit: int = 3
    paused: bool = False
    pause_reason: str | None = None
    thread: bool = True
    pin: bool = False
    ping_role: str | None = None
    categories: tuple[str, ...] = ()
    repeat_window_days: int = 60
    next_slot_at: datetime | None = None
    digest: bool = False
    digest_weekday: int = 0
    digest_time: time = time(9, 0)
    last_digest_at: datetime | None = None
    created_at: datetime | None = None
    # Member rituals (bot/service_layer/rituals.py): streak milestones are on by default.
    streaks: bool = True
    regulars: bool = False
    best_answer: bool = False


@dataclass
class Post:
    id: int
    schedule_id: int
    prompt_id: int | None
    slot_at: datetime
    status: PostStatus
    marker: str
    message_id: str | None = None
    thread_id: str | None = None
    pick_probability: float | None = None
    # How the prompt was picked: "policy" or "holdout" (a uniform pick), None before 0006.
    pick_arm: str | None = None
    pick_eligible: int | None = None  # prompts it was picked from: uniform propensity 1/n
    pick_draws: int | None = None  # posterior draws behind pick_probability
    posted_at: datetime | None = None
    claimed_at: datetime | None = None
    error: str | None = None
    attempts: int = 0
    responders: int | None = None
    audience: int | None = None
    outcome_at: datetime | None = None
    claimed_by: str | None = None  # the worker that holds the claim (crash recovery)
    wording: str | None = None  # key of the wording posted (bot.core.wordings), None before 0010


@dataclass(frozen=True)
class Response:
    post_id: int
    member_key: str
    kind: ResponseKind
    emoji: str
    at: datetime


@dataclass(frozen=True)
class Target:
    """Where a platform message lives: its channel and message id (and thread, if any)."""

    channel: str
    message_id: str
    thread_id: str | None = None


# --- neutral engagement events, produced by each adapter's translate.py --------------------


@dataclass(frozen=True)
class ReactionAdded:
    platform: PlatformName
    community: str
    channel: str
    message_id: str
    member_id: str
    emoji: str
    at: datetime


@dataclass(frozen=True)
class ReactionRemoved:
    platform: PlatformName
    community: str
    channel: str
    message_id: str
    member_id: str
    emoji: str
    at: datetime


@dataclass(frozen=True)
class ReplyPosted:
    """A member wrote in a post's thread, or replied to the post directly.

    `parent_id` is the post's message id, or the id of the thread opened on it. `message_id`
    is the reply's own id (its reactions pick the best answer) and `text` what it says, when
    the platform gives it; the text is kept only where a best answer is wanted.
    """

    platform: PlatformName
    community: str
    channel: str
    parent_id: str
    member_id: str
    at: datetime
    message_id: str = ""
    text: str = ""


@dataclass(frozen=True)
class MemberSeen:
    """Someone wrote in a channel: counts toward its active audience; no text is kept."""

    platform: PlatformName
    community: str
    channel: str
    member_id: str
    at: datetime


EngagementEvent = ReactionAdded | ReactionRemoved | ReplyPosted | MemberSeen


@dataclass(frozen=True)
class SlotPreview:
    slot_at: datetime
    local: datetime
    prompt: Prompt | None
    holiday: str | None = None  # the public holiday the slot falls on, e.g. "Christmas Day (US)"


@dataclass
class Notice:
    """Something the managers of a community must hear about (paused schedule, low library)."""

    community_id: int
    text: str
    schedule_id: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
