"""Set-based statements for recording engagement in bulk: one statement per kind of row,
whatever the batch size (chunked to stay under the drivers' bound-parameter limits).
Multi-row INSERT ... ON CONFLICT works alike on PostgreSQL and SQLite (3.24+)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import TypeVar, cast

from sqlalchemy import Table, delete, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Community, PlatformName, ResponseKind
from bot.core.ports import ActivityRecord, PostRef, ResponseRecord
from bot.storage.dialect import dialect_insert, is_sqlite
from bot.storage.mapping import community_from_row
from bot.storage.models import ActivityRow, CommunityRow, PostRow, ResponseRow, ScheduleRow

CHUNK = 1000  # values per IN list: well under the drivers' bound-parameter limits
T = TypeVar("T")
# Core tables, not the ORM classes: an executemany of one cached statement binds each row
# cheaply, where a multi-row VALUES is compiled anew for every batch (most of the CPU).
RESPONSES = cast(Table, ResponseRow.__table__)
ACTIVITY = cast(Table, ActivityRow.__table__)


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


async def find_communities(
    session: AsyncSession, keys: Collection[tuple[PlatformName, str]]
) -> dict[tuple[PlatformName, str], Community]:
    found: dict[tuple[PlatformName, str], Community] = {}
    wanted = sorted({(p.value, x) for p, x in keys})
    for chunk in chunks(wanted):
        column = tuple_(CommunityRow.platform, CommunityRow.external_id)
        for row in await session.scalars(select(CommunityRow).where(column.in_(chunk))):
            community = community_from_row(row)
            found[(community.platform, community.external_id)] = community
    return found


async def find_posts(
    session: AsyncSession, targets: Collection[tuple[str, str]]
) -> dict[tuple[str, str], PostRef]:
    """Like SqlPosts.by_message: the message id in the schedule's channel, or a thread id
    in any channel (a message match wins)."""
    ids = sorted({message for _, message in targets})
    by_message: dict[tuple[str, str], PostRef] = {}
    by_thread: dict[str, PostRef] = {}
    for chunk in chunks(ids):
        rows = await session.execute(
            select(PostRow.id, PostRow.message_id, PostRow.thread_id, ScheduleRow.channel)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(or_(PostRow.message_id.in_(chunk), PostRow.thread_id.in_(chunk)))
            .order_by(PostRow.id)
        )
        for post_id, message_id, thread_id, channel in rows:
            ref = PostRef(post_id, channel)
            if message_id is not None:
                by_message.setdefault((channel, message_id), ref)
            if thread_id is not None:
                by_thread.setdefault(thread_id, ref)
    found = {}
    for channel, message in targets:
        hit = by_message.get((channel, message)) or by_thread.get(message)
        if hit is not None:
            found[(channel, message)] = hit
    return found


async def insert_responses(session: AsyncSession, responses: Sequence[ResponseRecord]) -> None:
    first: dict[tuple[int, str, str, str], ResponseRecord] = {}
    for r in responses:
        first.setdefault((r.post_id, r.member_key, r.kind.value, r.emoji), r)
    rows = [
        {"post_id": p, "member_key": m, "kind": k, "emoji": e, "at": r.at}
        for (p, m, k, e), r in sorted(first.items(), key=lambda item: item[0])
    ]  # sorted: concurrent writers take row locks in one order (no deadlock)
    if rows:
        statement = dialect_insert(session)(RESPONSES).on_conflict_do_nothing(
            index_elements=["post_id", "member_key", "kind", "emoji"]
        )
        await (await session.connection()).execute(statement, rows)


async def delete_responses(
    session: AsyncSession, keys: Collection[tuple[int, str, ResponseKind, str]]
) -> None:
    wanted = sorted({(p, m, k.value, e) for p, m, k, e in keys})
    columns = tuple_(
        ResponseRow.post_id, ResponseRow.member_key, ResponseRow.kind, ResponseRow.emoji
    )
    for chunk in chunks(wanted):
        await session.execute(delete(ResponseRow).where(columns.in_(chunk)))


async def upsert_activity(session: AsyncSession, seen: Sequence[ActivityRecord]) -> None:
    # One statement may not update a row twice (PostgreSQL refuses): keep each key's latest.
    latest: dict[tuple[int, str, str], ActivityRecord] = {}
    for s in seen:
        key = (s.community_id, s.channel, s.member_key)
        if key not in latest or s.at > latest[key].at:
            latest[key] = s
    rows = [
        {"community_id": c, "channel": ch, "member_key": m, "last_seen": s.at}
        for (c, ch, m), s in sorted(latest.items(), key=lambda item: item[0])
    ]
    if rows:
        statement = dialect_insert(session)(ACTIVITY)
        greatest = func.max if is_sqlite(session) else func.greatest
        upsert = statement.on_conflict_do_update(
            index_elements=["community_id", "channel", "member_key"],
            set_={"last_seen": greatest(ACTIVITY.c.last_seen, statement.excluded.last_seen)},
        )
        await (await session.connection()).execute(upsert, rows)
