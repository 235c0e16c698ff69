"""Typed SQLAlchemy models. Alembic migrations (migrations/) create and change these tables."""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.types import UTCDateTime
from bot.storage.unlogged import UnloggedText

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CommunityRow(Base):
    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    manager_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    manager_role_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    review_channel: Mapped[str | None] = mapped_column(String(64))
    holdout: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ScheduleRow(Base):
    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    channel: Mapped[str] = mapped_column(String(64))
    times: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    days: Mapped[str] = mapped_column(String(20))
    every_days: Mapped[int | None] = mapped_column(Integer)
    anchor: Mapped[date | None] = mapped_column(Date)
    cron: Mapped[str | None] = mapped_column(String(120))
    quiet_dates: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Public-holiday calendars (migration 0009): codes like US, DE-BY; None category = skip.
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    holiday_category: Mapped[str | None] = mapped_column(String(64))
    catch_up: Mapped[str] = mapped_column(String(10))
    catch_up_limit: Mapped[int] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str | None] = mapped_column(Text)
    thread: Mapped[bool] = mapped_column(Boolean, default=True)
    pin: Mapped[bool] = mapped_column(Boolean, default=False)
    ping_role: Mapped[str | None] = mapped_column(String(64))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    repeat_window_days: Mapped[int] = mapped_column(Integer, default=60)
    next_slot_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0)
    digest_time: Mapped[str] = mapped_column(String(5), default="09:00")
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Member rituals (migration 0007).
    streaks: Mapped[bool] = mapped_column(Boolean, default=True)
    regulars: Mapped[bool] = mapped_column(Boolean, default=False)
    best_answer: Mapped[bool] = mapped_column(Boolean, default=False)


class PromptRow(Base):
    __tablename__ = "prompts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(64), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    choices: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    pack: Mapped[str | None] = mapped_column(String(64))
    suggested_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Other wordings of the question (migration 0010), A/B tested by bot.learning.wordings.
    variants: Mapped[list[str]] = mapped_column(JSON, default=list)


class PostRow(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("schedule_id", "slot_at"),
        Index("ix_posts_status_claimed_at", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    prompt_id: Mapped[int | None] = mapped_column(ForeignKey("prompts.id"), index=True)
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10))
    marker: Mapped[str] = mapped_column(String(40))
    message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    thread_id: Mapped[str | None] = mapped_column(String(64), index=True)
    pick_probability: Mapped[float | None] = mapped_column(Float)
    # How the prompt was picked (migration 0006): policy|holdout, from how many, how many draws.
    pick_arm: Mapped[str | None] = mapped_column(String(8))
    pick_eligible: Mapped[int | None] = mapped_column(Integer)
    pick_draws: Mapped[int | None] = mapped_column(Integer)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The engagement outcome, filled once the post's response window has closed.
    responders: Mapped[int | None] = mapped_column(Integer)
    audience: Mapped[int | None] = mapped_column(Integer)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The worker holding the claim (its id), so a dead worker's claims need not wait out the lease.
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    # The key of the wording posted (migration 0010, bot.core.wordings.wording_key).
    wording: Mapped[str | None] = mapped_column(String(16))


class ResponseRow(Base):
    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("post_id", "member_key", "kind", "emoji"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    member_key: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    emoji: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ActivityRow(Base):
    """When each member was last seen in each channel (for the active-audience count)."""

    __tablename__ = "activity"
    __table_args__ = (
        UniqueConstraint("community_id", "channel", "member_key"),
        Index("ix_activity_channel_seen", "community_id", "channel", "last_seen"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(64))
    member_key: Mapped[str] = mapped_column(String(64), index=True)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class ActivityHourRow(Base):
    """How many distinct members were seen in a channel in each UTC hour (migration 0009): a
    count per hour, no member key, no content; what the best time to post is read from."""

    __tablename__ = "activity_hours"
    __table_args__ = (UniqueConstraint("community_id", "channel", "hour_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(64))
    hour_at: Mapped[datetime] = mapped_column(UTCDateTime)
    members: Mapped[int] = mapped_column(Integer)


class SlackRequestRow(Base):
    """Signed Slack commands and interactions already handled (replay guard, kept minutes)."""

    __tablename__ = "slack_requests"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuditRow(Base):
    """The audit log: every change made from the dashboard or chat, per community."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_community_id_id", "community_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)


class StateRow(Base):
    """Small key/value facts the bot keeps for itself."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(UnloggedText)  # holds the generated member key


class RitualMemberRow(Base):
    """A member's ritual choices per community; the raw platform id only if they opted in to
    being named."""

    __tablename__ = "ritual_members"
    __table_args__ = (UniqueConstraint("community_id", "member_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    member_key: Mapped[str] = mapped_column(String(64), index=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    named: Mapped[bool] = mapped_column(Boolean, default=False)
    platform_id: Mapped[str | None] = mapped_column(String(64))


class StreakMilestoneRow(Base):
    """A streak milestone acknowledged at a post (once per member and post)."""

    __tablename__ = "streak_milestones"
    __table_args__ = (UniqueConstraint("post_id", "member_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    member_key: Mapped[str] = mapped_column(String(64), index=True)
    length: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ThreadReplyRow(Base):
    """A reply in a post's thread, kept while the post's window is open; then only the
    featured one (its text for a week)."""

    __tablename__ = "thread_replies"
    __table_args__ = (UniqueConstraint("community_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(String(64))
    member_key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str | None] = mapped_column(Text)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    reactions: Mapped[int] = mapped_column(Integer, default=0)


class ReplyReactionRow(Base):
    """A reaction on a kept thread reply."""

    __tablename__ = "reply_reactions"
    __table_args__ = (UniqueConstraint("reply_id", "member_key", "emoji"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reply_id: Mapped[int] = mapped_column(
        ForeignKey("thread_replies.id", ondelete="CASCADE"), index=True
    )
    member_key: Mapped[str] = mapped_column(String(64), index=True)
    emoji: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


# slack_sdk's own tables for multi-workspace installs, created by our migrations.
SLACK_INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, SQLAlchemyInstallationStore.default_installations_table_name
)
SLACK_BOTS = SQLAlchemyInstallationStore.build_bots_table(
    Base.metadata, SQLAlchemyInstallationStore.default_bots_table_name
)
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, SQLAlchemyOAuthStateStore.default_table_name
)
