"""Slack event payloads -> Tigerbird's neutral engagement events.

Bots (Tigerbird included) never reach the core; a reply's text is carried over only with the
reply (the core keeps it only where a best answer is wanted).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.slack.emoji_names import from_slack_name
from bot.core.domain import (
    EngagementEvent,
    MemberSeen,
    PlatformName,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)

Payload = dict[str, Any]
SLACK = PlatformName.SLACK
# Message subtypes written by a person; joins, edits, deletions and bot posts are not activity.
HUMAN_SUBTYPES = frozenset({None, "thread_broadcast", "file_share", "me_message"})


def slack_time(ts: object) -> datetime:
    """A Slack timestamp ("1700000000.000100") as an aware UTC datetime (epoch if unreadable)."""
    try:
        return datetime.fromtimestamp(float(ts or 0), tz=UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.fromtimestamp(0, tz=UTC)


def _text(value: object) -> str | None:
    """A non-empty string field, or None when it is missing or of the wrong type."""
    return value if isinstance(value, str) and value else None


def team_of(body: Payload) -> str:
    """The workspace an event or command came from."""
    return str(body.get("team_id") or (body.get("team") or {}).get("id") or "")


def reaction(event: Payload, team: str, bot_user_id: str | None) -> EngagementEvent | None:
    """reaction_added / reaction_removed on a message, unless Tigerbird itself reacted."""
    item = event.get("item")
    if not isinstance(item, dict) or item.get("type") != "message":
        return None
    user, channel, ts = _text(event.get("user")), _text(item.get("channel")), _text(item.get("ts"))
    if not (user and channel and ts) or user == bot_user_id:
        return None
    kind = ReactionAdded if event.get("type") == "reaction_added" else ReactionRemoved
    return kind(
        platform=SLACK,
        community=team,
        channel=channel,
        message_id=ts,
        member_id=user,
        emoji=from_slack_name(_text(event.get("reaction")) or ""),
        at=slack_time(event.get("event_ts") or event.get("ts")),
    )


def message(event: Payload, team: str, bot_user_id: str | None) -> list[EngagementEvent]:
    """A member's message: a reply if it is in a thread, and audience activity either way."""
    user, channel, subtype = (
        _text(event.get("user")),
        _text(event.get("channel")),
        event.get("subtype"),
    )
    if (
        not (subtype is None or isinstance(subtype, str))
        or subtype not in HUMAN_SUBTYPES
        or event.get("bot_id")
        or event.get("bot_profile")
        or not (user and channel)
        or user == bot_user_id
        or event.get("channel_type") == "im"
    ):
        return []
    at = slack_time(event.get("ts"))
    seen = MemberSeen(platform=SLACK, community=team, channel=channel, member_id=user, at=at)
    thread = _text(event.get("thread_ts"))
    if not thread or thread == event.get("ts"):
        return [seen]
    reply = ReplyPosted(
        platform=SLACK,
        community=team,
        channel=channel,
        parent_id=str(thread),
        member_id=str(user),
        at=at,
        message_id=str(event.get("ts") or ""),
        text=_text(event.get("text")) or "",
    )
    return [reply]
