"""The SQL ritual repository (bot.core.ports.RitualRepository): members' ritual choices,
acknowledged streak milestones, monthly answer counts, and the thread replies kept while a
post's best answer is open."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import case, delete, distinct, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Post, PostStatus, Schedule
from bot.core.rituals import (
    BestAnswer,
    MonthlyResponder,
    RitualMember,
    ThreadReply,
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

REACTION_WINDOW = timedelta(hours=24)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _member(row: RitualMemberRow) -> RitualMember:
    return RitualMember(row.community_id, row.member_key, row.opted_out, row.named, row.platform_id)


def _best(row: ThreadReplyRow) -> BestAnswer:
    return BestAnswer(row.post_id, row.message_id, row.member_key, row.reactions, row.at, row.text)


class SqlRituals:
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

    async def add_replies(self, replies: Collection[ThreadReply]) -> None:
        if not replies:
            return
        insert = dialect_insert(self._s)
        rows = [
            {
                "community_id": r.community_id,
                "post_id": r.post_id,
                "message_id": r.message_id,
                "member_key": r.member_key,
                "at": r.at,
                "text": r.text,
                "featured": False,
                "reactions": 0,
            }
            for r in replies
        ]
        await self._s.execute(
            insert(ThreadReplyRow)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["community_id", "message_id"])
        )

    async def kept_replies(self, messages: Collection[tuple[int, str]]) -> set[tuple[int, str]]:
        if not messages:
            return set()
        pair = tuple_(ThreadReplyRow.community_id, ThreadReplyRow.message_id)
        rows = await self._s.execute(
            select(ThreadReplyRow.community_id, ThreadReplyRow.message_id).where(
                pair.in_(list(messages)), ThreadReplyRow.featured.is_(False)
            )
        )
        return {(cid, message_id) for cid, message_id in rows}

    async def _reply_id(self, community_id: int, message_id: str) -> int | None:
        return await self._s.scalar(
            select(ThreadReplyRow.id).where(
                ThreadReplyRow.community_id == community_id,
                ThreadReplyRow.message_id == message_id,
                ThreadReplyRow.featured.is_(False),
            )
        )

    async def react_reply(
        self, community_id: int, message_id: str, member_key: str, emoji: str, at: datetime
    ) -> bool:
        reply_id = await self._reply_id(community_id, message_id)
        if reply_id is None:
            return False
        insert = dialect_insert(self._s)
        await self._s.execute(
            insert(ReplyReactionRow)
            .values(reply_id=reply_id, member_key=member_key, emoji=emoji, at=at)
            .on_conflict_do_nothing(index_elements=["reply_id", "member_key", "emoji"])
        )
        return True

    async def unreact_reply(
        self, community_id: int, message_id: str, member_key: str, emoji: str
    ) -> None:
        reply_id = await self._reply_id(community_id, message_id)
        if reply_id is not None:
            await self._s.execute(
                delete(ReplyReactionRow).where(
                    ReplyReactionRow.reply_id == reply_id,
                    ReplyReactionRow.member_key == member_key,
                    ReplyReactionRow.emoji == emoji,
                )
            )

    async def close_replies(self, post_id: int, excluded: Collection[str]) -> BestAnswer | None:
        replies = list(
            await self._s.scalars(
                select(ThreadReplyRow)
                .where(ThreadReplyRow.post_id == post_id)
                .order_by(ThreadReplyRow.at, ThreadReplyRow.id)
            )
        )
        featured = next((r for r in replies if r.featured), None)
        open_ids = [r.id for r in replies if not r.featured]
        counts: dict[int, int] = {}
        if open_ids and featured is None:
            reactions = await self._s.execute(
                select(ReplyReactionRow.reply_id, ReplyReactionRow.at).where(
                    ReplyReactionRow.reply_id.in_(open_ids)
                )
            )
            written = {r.id: r.at for r in replies}
            for reply_id, at in reactions:
                if at <= written[reply_id] + REACTION_WINDOW:
                    counts[reply_id] = counts.get(reply_id, 0) + 1
            candidates = [r for r in replies if counts.get(r.id) and r.member_key not in excluded]
            if candidates:
                featured = max(candidates, key=lambda r: counts[r.id])  # first of the most
                featured.featured, featured.reactions = True, counts[featured.id]
        losers = [i for i in open_ids if featured is None or i != featured.id]
        await self._s.execute(
            delete(ReplyReactionRow).where(ReplyReactionRow.reply_id.in_(open_ids))
        )
        if losers:
            await self._s.execute(delete(ThreadReplyRow).where(ThreadReplyRow.id.in_(losers)))
        await self._s.flush()
        return _best(featured) if featured is not None else None

    async def best_answers(self, post_ids: Collection[int]) -> list[BestAnswer]:
        if not post_ids:
            return []
        rows = await self._s.scalars(
            select(ThreadReplyRow)
            .where(ThreadReplyRow.post_id.in_(list(post_ids)), ThreadReplyRow.featured.is_(True))
            .order_by(ThreadReplyRow.at)
        )
        return [_best(row) for row in rows]

    async def posts_with_open_replies(self, community_id: int, before: datetime) -> list[int]:
        ids = await self._s.scalars(
            select(ThreadReplyRow.post_id)
            .distinct()
            .join(PostRow, PostRow.id == ThreadReplyRow.post_id)
            .where(
                ThreadReplyRow.community_id == community_id,
                ThreadReplyRow.featured.is_(False),
                PostRow.posted_at < before,
            )
        )
        return sorted(ids)

    async def erase_texts(self, before: datetime) -> int:
        result = await self._s.execute(
            update(ThreadReplyRow)
            .where(
                ThreadReplyRow.featured.is_(True),
                ThreadReplyRow.at < before,
                ThreadReplyRow.text.is_not(None),
            )
            .values(text=None)
        )
        return _count(result)

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
