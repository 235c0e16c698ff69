"""The dashboard's library reads on SQLAlchemy (implements bot.core.ports.LibraryReads)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import PostStatus, Prompt
from bot.core.ports import LibraryQuery, PromptRecord, WordingRecord
from bot.storage.mapping import prompt_from_row
from bot.storage.models import PostRow, PromptRow, ScheduleRow

T = TypeVar("T")


def _matching(query: Select[T], q: LibraryQuery) -> Select[T]:
    query = query.where(
        or_(PromptRow.community_id.is_(None), PromptRow.community_id == q.community_id)
    )
    if q.status is not None:
        query = query.where(PromptRow.status == q.status.value)
    if q.category:
        query = query.where(PromptRow.category == q.category)
    if q.text.strip():
        query = query.where(
            func.lower(PromptRow.text).contains(q.text.strip().lower(), autoescape=True)
        )
    return query


class SqlLibraryReads:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def search(self, query: LibraryQuery, offset: int, limit: int) -> list[Prompt]:
        rows = await self._s.scalars(
            _matching(select(PromptRow), query).order_by(PromptRow.id).offset(offset).limit(limit)
        )
        return [prompt_from_row(r) for r in rows]

    async def count(self, query: LibraryQuery) -> int:
        counted = _matching(select(func.count(PromptRow.id)), query)
        return int(await self._s.scalar(counted) or 0)

    async def records(
        self, community_id: int, prompt_ids: Collection[int]
    ) -> dict[int, PromptRecord]:
        if not prompt_ids:
            return {}
        closed = PostRow.outcome_at.is_not(None)
        query = (
            select(
                PostRow.prompt_id,
                func.count(PostRow.id),
                func.coalesce(func.sum(case((closed, PostRow.responders), else_=0)), 0),
                func.coalesce(func.sum(case((closed, PostRow.audience), else_=0)), 0),
            )
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(
                ScheduleRow.community_id == community_id,
                PostRow.status == PostStatus.SENT.value,
                PostRow.prompt_id.in_(list(prompt_ids)),
            )
            .group_by(PostRow.prompt_id)
        )
        return {
            int(pid): PromptRecord(int(pid), int(n), int(r), int(a))
            for pid, n, r, a in (await self._s.execute(query)).all()
            if pid is not None
        }

    async def wording_records(
        self, prompt_id: int, community_id: int | None
    ) -> dict[str, WordingRecord]:
        closed = PostRow.outcome_at.is_not(None)
        query = (
            select(
                PostRow.wording,
                func.count(PostRow.id),
                func.coalesce(func.sum(case((closed, PostRow.responders), else_=0)), 0),
                func.coalesce(func.sum(case((closed, PostRow.audience), else_=0)), 0),
            )
            .where(
                PostRow.prompt_id == prompt_id,
                PostRow.status == PostStatus.SENT.value,
                PostRow.wording.is_not(None),
            )
            .group_by(PostRow.wording)
        )
        if community_id is not None:
            query = query.join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id).where(
                ScheduleRow.community_id == community_id
            )
        return {
            str(key): WordingRecord(str(key), int(n), int(r), int(a))
            for key, n, r, a in (await self._s.execute(query)).all()
        }
