"""The SQL ritual repository (bot.core.ports.RitualRepository): members' ritual choices,
acknowledged streak milestones, monthly answer counts, and the thread replies kept while a
post's best answer is open."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import case, delete, distinct, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Post, PostStatus, Schedule
from bot.core.rituals import (
    MonthlyResponder,
    RitualMember,
    choices_row,
    reply_row,
)
from bot.storage.dialect import dialect_insert
from bot.storage.mapping import post_from_row, schedule_from_row
from bot.storage.models import (
    PostRow,
    ReplyReactionRow,
    ResponseRow,
    RitualMemberRow,
    ScheduleRow,
    StreakMilestoneRow,
    ThreadReplyRow,
)
from bot.storage.thread_replies import SqlThreadReplies


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _member(row: RitualMemberRow) -> RitualMember:
    return RitualMember(row.community_id, row.member_key, row.opted_out, row.named, row.platform_id)


class SqlRituals(SqlThreadReplies):
    """Implements bot.core.ports.RitualRepository."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def member(self, community_id: int, member_key: str) -> RitualMember | None:
        found = await self.members(community_id, [member_key])
        return found.get(member_key)

    async def set_member(self, member: RitualMember) -> None:
        values = {
            "opted_out": member.opted_out,
            "named": member.named,
            "platform_id": member.platform_id if member.named else None,
        }
        insert = dialect_insert(self._s)
        await self._s.execute(
            insert(RitualMemberRow)
            .values(community_id=member.community_id, member_key=member.member_key, **values)
            .on_conflict_do_update(index_elements=["community_id", "member_key"], set_=values)
        )

    async def members(
        self, community_id: int, member_keys: Collection[str]
    ) -> dict[str, RitualMember]:
        if not member_keys:
            return {}
        rows = await self._s.scalars(
            select(RitualMemberRow).where(
                RitualMemberRow.community_id == community_id,
                RitualMemberRow.member_key.in_(list(member_keys)),
            )
        )
        return {row.member_key: _member(row) for row in rows}

    async def opted_out(self, community_id: int) -> set[str]:
        keys = await self._s.scalars(
            select(RitualMemberRow.member_key).where(
                RitualMemberRow.community_id == community_id, RitualMemberRow.opted_out.is_(True)
            )
        )
        return set(keys)

    async def channel_posts(self, community_id: int, channel: str) -> list[int]:
        ids = await self._s.scalars(
            select(PostRow.id)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(
                ScheduleRow.community_id == community_id,
                ScheduleRow.channel == channel,
                PostRow.status == PostStatus.SENT.value,
            )
            .order_by(PostRow.slot_at, PostRow.id)
        )
        return list(ids)

    async def answered(self, community_id: int, member_key: str) -> dict[str, set[int]]:
        rows = await self._s.execute(
            select(ScheduleRow.channel, ResponseRow.post_id)
            .distinct()
            .join(PostRow, PostRow.id == ResponseRow.post_id)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(ScheduleRow.community_id == community_id, ResponseRow.member_key == member_key)
        )
        found: dict[str, set[int]] = {}
        for channel, post_id in rows:
            found.setdefault(channel, set()).add(post_id)
        return found

    async def opted_out_among(self, members: Collection[tuple[int, str]]) -> set[tuple[int, str]]:
        if not members:
            return set()
        pair = tuple_(RitualMemberRow.community_id, RitualMemberRow.member_key)
        rows = await self._s.execute(
            select(RitualMemberRow.community_id, RitualMemberRow.member_key).where(
                pair.in_(list(members)), RitualMemberRow.opted_out.is_(True)
            )
        )
        return {(cid, key) for cid, key in rows}

    async def posts_with_schedules(
        self, post_ids: Collection[int]
    ) -> dict[int, tuple[Post, Schedule]]:
        if not post_ids:
            return {}
        rows = await self._s.execute(
            select(PostRow, ScheduleRow)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(PostRow.id.in_(list(post_ids)))
        )
        return {p.id: (post_from_row(p), schedule_from_row(s)) for p, s in rows}

    async def streak_facts(
        self, channels: Collection[tuple[int, str]], member_keys: Collection[str]
    ) -> tuple[dict[tuple[int, str], list[int]], dict[tuple[int, str, str], set[int]]]:
        if not channels:
            return {}, {}
        where = tuple_(ScheduleRow.community_id, ScheduleRow.channel).in_(list(channels))
        posts: dict[tuple[int, str], list[int]] = {}
        for post_id, cid, channel in await self._s.execute(
            select(PostRow.id, ScheduleRow.community_id, ScheduleRow.channel)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(where, PostRow.status == PostStatus.SENT.value)
            .order_by(PostRow.slot_at, PostRow.id)
        ):
            posts.setdefault((cid, channel), []).append(post_id)
        answered: dict[tuple[int, str, str], set[int]] = {}
        for post_id, key, cid, channel in await self._s.execute(
            select(ResponseRow.post_id, ResponseRow.member_key, ScheduleRow.community_id,
                   ScheduleRow.channel)
            .join(PostRow, PostRow.id == ResponseRow.post_id)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(where, ResponseRow.member_key.in_(list(member_keys)))
        ):  # fmt: skip
            answered.setdefault((cid, channel, key), set()).add(post_id)
        return posts, answered

    async def add_milestones(
        self, reached: Collection[tuple[int, str, int, datetime]]
    ) -> set[tuple[int, str]]:
        if not reached:
            return set()
        insert = dialect_insert(self._s)
        rows = [{"post_id": p, "member_key": k, "length": n, "at": at} for p, k, n, at in reached]
        new = await self._s.execute(
            insert(StreakMilestoneRow)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["post_id", "member_key"])
            .returning(StreakMilestoneRow.post_id, StreakMilestoneRow.member_key)
        )
        return {(post_id, key) for post_id, key in new}

    async def monthly(
        self, community_id: int, channel: str, start: datetime, end: datetime
    ) -> list[MonthlyResponder]:
        in_month = case((ResponseRow.at >= start, ResponseRow.post_id))
        rows = await self._s.execute(
            select(
                ResponseRow.member_key,
                func.count(distinct(in_month)),
                func.min(ResponseRow.at),
            )
            .join(PostRow, PostRow.id == ResponseRow.post_id)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(
                ScheduleRow.community_id == community_id,
                ScheduleRow.channel == channel,
                ResponseRow.at < end,
            )
            .group_by(ResponseRow.member_key)
            .having(func.max(ResponseRow.at) >= start)
        )
        return [MonthlyResponder(key, int(count), first) for key, count, first in rows]

    async def about(self, member_key: str) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = []
        for m in await self._s.scalars(
            select(RitualMemberRow).where(RitualMemberRow.member_key == member_key)
        ):
            rows.append(choices_row(_member(m)))
        for post_id, length in await self._s.execute(
            select(StreakMilestoneRow.post_id, StreakMilestoneRow.length)
            .where(StreakMilestoneRow.member_key == member_key)
            .order_by(StreakMilestoneRow.id)
        ):
            rows.append({"kind": "milestone", "post_id": str(post_id), "streak": str(length)})
        for r in await self._s.scalars(
            select(ThreadReplyRow)
            .where(ThreadReplyRow.member_key == member_key)
            .order_by(ThreadReplyRow.id)
        ):
            rows.append(reply_row(r.post_id, r.featured, r.text))
        for post_id, emoji in await self._s.execute(
            select(ThreadReplyRow.post_id, ReplyReactionRow.emoji)
            .join(ThreadReplyRow, ThreadReplyRow.id == ReplyReactionRow.reply_id)
            .where(ReplyReactionRow.member_key == member_key)
            .order_by(ReplyReactionRow.id)
        ):
            rows.append({"kind": "reaction on a reply", "post_id": str(post_id), "emoji": emoji})
        return rows

    async def forget(self, member_key: str) -> int:
        theirs = select(ThreadReplyRow.id).where(ThreadReplyRow.member_key == member_key)
        gone = 0
        for statement in (
            delete(ReplyReactionRow).where(ReplyReactionRow.reply_id.in_(theirs)),
            delete(ReplyReactionRow).where(ReplyReactionRow.member_key == member_key),
            delete(ThreadReplyRow).where(ThreadReplyRow.member_key == member_key),
            delete(StreakMilestoneRow).where(StreakMilestoneRow.member_key == member_key),
            delete(RitualMemberRow).where(RitualMemberRow.member_key == member_key),
        ):
            gone += _count(await self._s.execute(statement))
        return gone
