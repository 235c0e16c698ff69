"""The SQL store's thread replies kept for a post's best answer (part of
bot.core.ports.RitualRepository, mixed into bot.storage.rituals.SqlRituals)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.rituals import BestAnswer, ThreadReply
from bot.storage.dialect import dialect_insert
from bot.storage.models import PostRow, ReplyReactionRow, ThreadReplyRow

REACTION_WINDOW = timedelta(hours=24)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _best(row: ThreadReplyRow) -> BestAnswer:
    return BestAnswer(row.post_id, row.message_id, row.member_key, row.reactions, row.at, row.text)


class SqlThreadReplies:
    """Replies and their reactions while a post's window is open; then its best answer."""

    _s: AsyncSession

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
