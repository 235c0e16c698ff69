"""A prototype of bulk event recording, measured by benchmarks/ingest.py next to the
service path: a whole batch in one transaction with a handful of statements (communities,
parent posts, responses, activity), whatever its size. Same outcome as
Tigerbird.handle_events; the candidate for bot/storage once the ports carry it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import (
    EngagementEvent,
    MemberSeen,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
    ResponseKind,
)
from bot.members import MemberKeys
from bot.storage.models import ActivityRow, CommunityRow, PostRow, ResponseRow, ScheduleRow

Seen = dict[tuple[int, str, str], datetime]


class BulkRecorder:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], members: MemberKeys) -> None:
        self._sessions = sessions
        self._members = members

    async def record(self, events: Sequence[EngagementEvent]) -> None:
        async with self._sessions() as s, s.begin():
            communities = await _communities(s, events)
            parents = await _parents(s, events)
            adds: list[dict[str, Any]] = []
            seen: Seen = {}
            for event in events:
                community = communities.get((event.platform.value, event.community))
                if community is None:
                    continue
                member = self._members.key(event.platform, event.member_id)
                if isinstance(event, MemberSeen):
                    _see(seen, (community, event.channel, member), event.at)
                    continue
                parent = event.parent_id if isinstance(event, ReplyPosted) else event.message_id
                found = parents.get((event.channel, parent)) or parents.get(("", parent))
                if found is None:
                    if isinstance(event, ReplyPosted):
                        _see(seen, (community, event.channel, member), event.at)
                    continue
                post_id, channel = found
                if isinstance(event, ReactionRemoved):
                    await _insert_responses(s, adds)  # keep the order: adds before removal
                    adds = []
                    await s.execute(
                        delete(ResponseRow).where(
                            ResponseRow.post_id == post_id,
                            ResponseRow.member_key == member,
                            ResponseRow.kind == ResponseKind.REACTION.value,
                            ResponseRow.emoji == event.emoji,
                        )
                    )
                    continue
                kind = ResponseKind.REACTION if isinstance(event, ReactionAdded) else None
                emoji = event.emoji if isinstance(event, ReactionAdded) else ""
                adds.append(
                    dict(
                        post_id=post_id,
                        member_key=member,
                        kind=(kind or ResponseKind.REPLY).value,
                        emoji=emoji,
                        at=event.at,
                    )
                )
                _see(seen, (community, channel, member), event.at)
            await _insert_responses(s, adds)
            await _upsert_seen(s, seen)


def _see(seen: Seen, key: tuple[int, str, str], at: datetime) -> None:
    seen[key] = max(at, seen.get(key, at))


def _insert(s: AsyncSession) -> Any:
    return postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert


async def _communities(s: AsyncSession, events: Sequence[EngagementEvent]) -> dict[Any, int]:
    keys = {(e.platform.value, e.community) for e in events}
    rows = await s.execute(
        select(CommunityRow.platform, CommunityRow.external_id, CommunityRow.id).where(
            tuple_(CommunityRow.platform, CommunityRow.external_id).in_(keys)
        )
    )
    return {(p, x): i for p, x, i in rows}


async def _parents(
    s: AsyncSession, events: Sequence[EngagementEvent]
) -> dict[tuple[str, str], tuple[int, str]]:
    """(channel, message id) -> (post id, channel); threads keyed ("", thread id)."""
    ids = {
        e.parent_id if isinstance(e, ReplyPosted) else e.message_id
        for e in events
        if not isinstance(e, MemberSeen)
    }
    if not ids:
        return {}
    rows = await s.execute(
        select(PostRow.id, PostRow.message_id, PostRow.thread_id, ScheduleRow.channel)
        .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
        .where(or_(PostRow.message_id.in_(ids), PostRow.thread_id.in_(ids)))
    )
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for post_id, message_id, thread_id, channel in rows:
        if message_id in ids:
            found[(channel, message_id)] = (post_id, channel)
        if thread_id in ids:
            found[("", thread_id)] = (post_id, channel)
    return found


async def _insert_responses(s: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await s.execute(
            _insert(s)(ResponseRow)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["post_id", "member_key", "kind", "emoji"])
        )


async def _upsert_seen(s: AsyncSession, seen: Seen) -> None:
    if not seen:
        return
    rows = [
        dict(community_id=c, channel=ch, member_key=m, last_seen=at)
        for (c, ch, m), at in seen.items()
    ]
    statement = _insert(s)(ActivityRow).values(rows)
    latest = func.max if s.get_bind().dialect.name == "sqlite" else func.greatest
    await s.execute(
        statement.on_conflict_do_update(
            index_elements=["community_id", "channel", "member_key"],
            set_={"last_seen": latest(ActivityRow.last_seen, statement.excluded.last_seen)},
        )
    )
