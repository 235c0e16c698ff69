"""Set-based reads for pages that show many channels at once (the dashboard's overview): one
query for every schedule or post asked about, chunked to stay under the drivers'
bound-parameter limits."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Post, PostStatus, ResponseKind
from bot.storage.bulk import chunks
from bot.storage.mapping import post_from_row
from bot.storage.models import PostRow, ResponseRow

Response = tuple[str, ResponseKind, str, datetime]
RECENT = (PostStatus.CLAIMED.value, PostStatus.SENT.value)


async def recent_prompt_ids(
    session: AsyncSession, since: Mapping[int, datetime]
) -> dict[int, set[int]]:
    """SqlPosts.recent_prompt_ids for each schedule of `since`, from its own instant."""
    found: dict[int, set[int]] = {schedule_id: set() for schedule_id in since}
    if not since:
        return found
    for chunk in chunks(sorted(since)):
        earliest = min(since[schedule_id] for schedule_id in chunk)
        rows = await session.execute(
            select(PostRow.schedule_id, PostRow.prompt_id, PostRow.slot_at).where(
                PostRow.schedule_id.in_(chunk),
                PostRow.slot_at >= earliest,
                PostRow.prompt_id.is_not(None),
                PostRow.status.in_(RECENT),
            )
        )
        for schedule_id, prompt_id, slot_at in rows:
            if prompt_id is not None and slot_at >= since[schedule_id]:
                found[schedule_id].add(int(prompt_id))
    return found


async def latest_sent(
    session: AsyncSession, schedule_ids: Collection[int], count: int
) -> dict[int, list[Post]]:
    """SqlPosts.latest_sent_many: the newest `count` sent posts of each schedule, ranked by a
    window function (SQLite 3.25+ and PostgreSQL) so that only those rows are loaded."""
    found: dict[int, list[Post]] = {schedule_id: [] for schedule_id in schedule_ids}
    if count <= 0:
        return found
    for chunk in chunks(sorted(found)):
        rank = func.row_number().over(
            partition_by=PostRow.schedule_id, order_by=(PostRow.slot_at.desc(), PostRow.id.desc())
        )
        ranked = (
            select(PostRow.id, rank.label("place"))
            .where(PostRow.schedule_id.in_(chunk), PostRow.status == PostStatus.SENT.value)
            .subquery()
        )
        query = (
            select(PostRow)
            .join(ranked, ranked.c.id == PostRow.id)
            .where(ranked.c.place <= count)
            .order_by(PostRow.schedule_id, PostRow.slot_at.desc(), PostRow.id.desc())
        )
        for row in await session.scalars(query):
            found[row.schedule_id].append(post_from_row(row))
    return found


async def responses_of(
    session: AsyncSession, post_ids: Collection[int]
) -> dict[int, list[Response]]:
    """SqlResponses.for_posts: each post's responses in the order they were stored."""
    found: dict[int, list[Response]] = {post_id: [] for post_id in post_ids}
    for chunk in chunks(sorted(found)):
        rows = await session.execute(
            select(
                ResponseRow.post_id,
                ResponseRow.member_key,
                ResponseRow.kind,
                ResponseRow.emoji,
                ResponseRow.at,
            )
            .where(ResponseRow.post_id.in_(chunk))
            .order_by(ResponseRow.id)
        )
        for post_id, member, kind, emoji, at in rows:
            found[post_id].append((member, ResponseKind(kind), emoji, at))
    return found
