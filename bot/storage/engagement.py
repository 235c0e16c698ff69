"""The SQL response and activity repositories (bot.core.ports.ResponseRepository,
ActivityRepository): what members did and where they were seen."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import ResponseKind
from bot.core.ports import ActivityRecord, ResponseRecord
from bot.storage import activity_hours, bulk, bulk_reads
from bot.storage.dialect import dialect_insert
from bot.storage.models import ActivityRow, PostRow, ResponseRow, ScheduleRow


class SqlResponses:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self, post_id: int, member_key: str, kind: ResponseKind, emoji: str, at: datetime
    ) -> bool:
        insert = dialect_insert(self._s)
        statement = (
            insert(ResponseRow)
            .values(post_id=post_id, member_key=member_key, kind=kind.value, emoji=emoji, at=at)
            .on_conflict_do_nothing(index_elements=["post_id", "member_key", "kind", "emoji"])
            .returning(ResponseRow.id)
        )
        return await self._s.scalar(statement) is not None

    async def remove(self, post_id: int, member_key: str, kind: ResponseKind, emoji: str) -> bool:
        result = await self._s.execute(
            delete(ResponseRow).where(
                ResponseRow.post_id == post_id,
                ResponseRow.member_key == member_key,
                ResponseRow.kind == kind.value,
                ResponseRow.emoji == emoji,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def for_post(self, post_id: int) -> list[tuple[str, ResponseKind, str, datetime]]:
        rows = await self._s.scalars(
            select(ResponseRow).where(ResponseRow.post_id == post_id).order_by(ResponseRow.id)
        )
        return [(r.member_key, ResponseKind(r.kind), r.emoji, r.at) for r in rows]

    async def for_posts(
        self, post_ids: Collection[int]
    ) -> dict[int, list[tuple[str, ResponseKind, str, datetime]]]:
        return await bulk_reads.responses_of(self._s, post_ids)

    async def add_many(self, responses: Sequence[ResponseRecord]) -> None:
        await bulk.insert_responses(self._s, responses)

    async def remove_many(self, responses: Collection[tuple[int, str, ResponseKind, str]]) -> None:
        await bulk.delete_responses(self._s, responses)

    async def remove_member(self, community_id: int, member_key: str) -> set[int]:
        in_community = (
            select(PostRow.id)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(ScheduleRow.community_id == community_id)
        )
        mine = (ResponseRow.member_key == member_key, ResponseRow.post_id.in_(in_community))
        post_ids = set(await self._s.scalars(select(ResponseRow.post_id).where(*mine).distinct()))
        if post_ids:
            await self._s.execute(delete(ResponseRow).where(*mine))
        return post_ids


class SqlActivity:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def seen(self, community_id: int, channel: str, member_key: str, at: datetime) -> None:
        await bulk.upsert_activity(self._s, [ActivityRecord(community_id, channel, member_key, at)])

    async def audience(self, community_id: int, channel: str, since: datetime) -> int:
        count = await self._s.scalar(
            select(func.count()).where(
                ActivityRow.community_id == community_id,
                ActivityRow.channel == channel,
                ActivityRow.last_seen >= since,
            )
        )
        return int(count or 0)

    async def seen_many(self, seen: Sequence[ActivityRecord]) -> None:
        await activity_hours.count_hours(self._s, seen)
        await bulk.upsert_activity(self._s, seen)

    async def hourly(
        self, community_id: int, channel: str, since: datetime
    ) -> list[tuple[datetime, int]]:
        return await activity_hours.hourly(self._s, community_id, channel, since)

    async def forget_member(self, community_id: int, member_key: str) -> int:
        result = await self._s.execute(
            delete(ActivityRow).where(
                ActivityRow.community_id == community_id, ActivityRow.member_key == member_key
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
