"""Counting distinct members per channel and UTC hour without keeping who they were: a member
counts in an hour the first time they show in it, which the member's last-seen time (already
kept for the active audience) tells. Both stores call `new_in_hours` before they upsert it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.core.records import ActivityRecord

HourKey = tuple[int, str, datetime]  # community id, channel, the UTC hour's start
MemberKey = tuple[int, str, str]  # community id, channel, member key


def hour_of(at: datetime) -> datetime:
    """The start of the UTC hour `at` falls in."""
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def new_in_hours(
    seen: Sequence[ActivityRecord], last_seen: Mapping[MemberKey, datetime]
) -> dict[HourKey, int]:
    """How many members each (channel, hour) gains from `seen`: a member already seen in that
    hour or later (stored, or earlier in `seen`) adds nothing. A sighting that arrives after a
    later one of the same member is not counted: counts never double, they may undercount."""
    latest = dict(last_seen)
    gained: dict[HourKey, int] = {}
    for record in sorted(seen, key=lambda r: r.at):
        key = (record.community_id, record.channel, record.member_key)
        hour = hour_of(record.at)
        previous = latest.get(key)
        if previous is not None and hour_of(previous) >= hour:
            continue
        latest[key] = record.at
        slot = (record.community_id, record.channel, hour)
        gained[slot] = gained.get(slot, 0) + 1
    return gained
