"""SQLAlchemy implementation of the post repository: the claim rows of the exactly-once protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Post, PostStatus, Schedule
from bot.core.ports import PickOutcome, PickProvenance, PostRef, RecordedOutcome
from bot.storage import bulk_reads
from bot.storage.bulk import find_posts
from bot.storage.dialect import dialect_insert
from bot.storage.mapping import post_from_row, schedule_from_row
from bot.storage.models import PostRow, PromptRow, ScheduleRow


class SqlPosts:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def claim(
        self,
        schedule_id: int,
        slot_at: datetime,
        marker: str,
        prompt_id: int | None,
        pick_probability: float | None,
        now: datetime,
        status: PostStatus = PostStatus.CLAIMED,
        owner: str | None = None,
        provenance: PickProvenance | None = None,
    ) -> Post | None:
        insert = dialect_insert(self._s)
        statement = (
            insert(PostRow)
            .values(
                schedule_id=schedule_id,
                prompt_id=prompt_id,
                slot_at=slot_at,
                status=status.value,
                marker=marker,
                pick_probability=pick_probability,
                **PickProvenance.columns(provenance),
                claimed_at=now,
                claimed_by=owner,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["schedule_id", "slot_at"])
            .returning(PostRow.id)
        )
        post_id = await self._s.scalar(statement)
        if post_id is None:
            return None
        # The row holds exactly what was inserted: no need to read it back.
        post = Post(post_id, schedule_id, prompt_id, slot_at, status, marker,
                    pick_probability=pick_probability, claimed_at=now,
                    claimed_by=owner)  # fmt: skip
        if provenance is not None:
            post.pick_arm, post.pick_eligible = provenance.arm, provenance.eligible
            post.pick_draws, post.wording = provenance.draws, provenance.wording
        return post

    async def get(self, post_id: int) -> Post | None:
        row = await self._s.scalar(
            select(PostRow).where(PostRow.id == post_id).execution_options(populate_existing=True)
        )
        return post_from_row(row) if row else None

    async def update(self, post: Post) -> None:
        await self._s.execute(
            update(PostRow)
            .where(PostRow.id == post.id)
            .values(
                prompt_id=post.prompt_id,
                status=post.status.value,
                message_id=post.message_id,
                thread_id=post.thread_id,
                posted_at=post.posted_at,
                error=post.error,
                attempts=post.attempts,
                responders=post.responders,
                audience=post.audience,
                outcome_at=post.outcome_at,
            )
        )

    async def take_over(
        self, post_id: int, seen_claimed_at: datetime, now: datetime, owner: str | None = None
    ) -> bool:
        result = await self._s.execute(
            update(PostRow)
            .where(
                PostRow.id == post_id,
                PostRow.status == PostStatus.CLAIMED.value,
                PostRow.claimed_at == seen_claimed_at,
            )
            .values(claimed_at=now, claimed_by=owner, attempts=PostRow.attempts + 1)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def stale_claims(
        self, claimed_before: datetime, owners: Collection[str] = ()
    ) -> list[Post]:
        stale = PostRow.claimed_at <= claimed_before
        if owners:
            stale = or_(stale, PostRow.claimed_by.in_(sorted(owners)))
        query = (
            select(PostRow)
            .where(PostRow.status == PostStatus.CLAIMED.value, stale)
            .order_by(PostRow.slot_at, PostRow.id)
        )
        return [post_from_row(r) for r in await self._s.scalars(query)]

    async def claim_owners(self) -> set[str]:
        query = (
            select(PostRow.claimed_by)
            .where(PostRow.status == PostStatus.CLAIMED.value, PostRow.claimed_by.is_not(None))
            .distinct()
        )
        return {str(owner) for owner in await self._s.scalars(query)}

    async def recent_prompt_ids(self, schedule_id: int, since: datetime) -> set[int]:
        query = select(PostRow.prompt_id).where(
            PostRow.schedule_id == schedule_id,
            PostRow.slot_at >= since,
            PostRow.prompt_id.is_not(None),
            PostRow.status.in_([PostStatus.CLAIMED.value, PostStatus.SENT.value]),
        )
        return {int(p) for p in await self._s.scalars(query) if p is not None}

    async def recent_prompt_ids_many(self, since: Mapping[int, datetime]) -> dict[int, set[int]]:
        return await bulk_reads.recent_prompt_ids(self._s, since)

    async def latest_sent_many(
        self, schedule_ids: Collection[int], count: int
    ) -> dict[int, list[Post]]:
        return await bulk_reads.latest_sent(self._s, schedule_ids, count)

    async def latest_sent(self, schedule_id: int, before: datetime) -> Post | None:
        row = await self._s.scalar(
            select(PostRow)
            .where(
                PostRow.schedule_id == schedule_id,
                PostRow.status == PostStatus.SENT.value,
                PostRow.slot_at < before,
            )
            .order_by(PostRow.slot_at.desc())
            .limit(1)
        )
        return post_from_row(row) if row else None

    async def awaiting_outcome(self, limit: int) -> list[Post]:
        query = (
            select(PostRow)
            .where(PostRow.status == PostStatus.SENT.value, PostRow.outcome_at.is_(None))
            .order_by(PostRow.slot_at, PostRow.id)
            .limit(limit)
        )
        return [post_from_row(r) for r in await self._s.scalars(query)]

    async def recorded_outcomes(
        self, since: datetime | None, chunk: int = 2000
    ) -> AsyncIterator[list[RecordedOutcome]]:
        # Only the needed columns, streamed (a server-side cursor on PostgreSQL): a start-up
        # replay of 100,000 outcomes as ORM objects took 3 s and ~150 MB.
        query = (
            select(
                PostRow.id, PostRow.prompt_id, PromptRow.category, PostRow.slot_at,
                PostRow.responders, PostRow.audience, PostRow.outcome_at,
                ScheduleRow.community_id, ScheduleRow.channel, ScheduleRow.timezone,
                PostRow.wording,
            )
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .outerjoin(PromptRow, PromptRow.id == PostRow.prompt_id)
            .where(PostRow.outcome_at.is_not(None))
            .order_by(PostRow.outcome_at, PostRow.slot_at, PostRow.id)
            .execution_options(yield_per=chunk)
        )  # fmt: skip
        if since is not None:
            query = query.where(PostRow.outcome_at >= since)
        # On the session's connection, not through the ORM session: plain rows, no ORM loading.
        result = await (await self._s.connection()).stream(query)
        try:
            async for rows in result.partitions():
                yield [RecordedOutcome(*cast(tuple[Any, ...], row)) for row in rows]
        finally:
            await result.close()

    async def next_sent(self, schedule_id: int, after: datetime) -> Post | None:
        row = await self._s.scalar(
            select(PostRow)
            .where(
                PostRow.schedule_id == schedule_id,
                PostRow.status == PostStatus.SENT.value,
                PostRow.slot_at > after,
            )
            .order_by(PostRow.slot_at)
            .limit(1)
        )
        return post_from_row(row) if row else None

    async def by_message(self, channel: str, message_id: str) -> tuple[Post, Schedule] | None:
        query = (
            select(PostRow, ScheduleRow)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(
                or_(
                    and_(PostRow.message_id == message_id, ScheduleRow.channel == channel),
                    PostRow.thread_id == message_id,
                )
            )
            .limit(1)
        )
        found = (await self._s.execute(query)).first()
        if found is None:
            return None
        return post_from_row(found[0]), schedule_from_row(found[1])

    async def by_messages(
        self, targets: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], PostRef]:
        return await find_posts(self._s, targets)

    async def all(self, schedule_id: int | None = None) -> list[Post]:
        query = select(PostRow).order_by(PostRow.slot_at, PostRow.id)
        if schedule_id is not None:
            query = query.where(PostRow.schedule_id == schedule_id)
        return [post_from_row(r) for r in await self._s.scalars(query)]

    async def pick_outcomes(self, community_id: int | None = None) -> list[PickOutcome]:
        query = (
            select(
                ScheduleRow.community_id, PostRow.pick_arm, PostRow.pick_probability,
                PostRow.pick_eligible, PostRow.responders, PostRow.audience,
            )
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(
                PostRow.status == PostStatus.SENT.value,
                PostRow.pick_arm.is_not(None),
                PostRow.pick_eligible.is_not(None),
                PostRow.responders.is_not(None),
                PostRow.audience.is_not(None),
            )
            .order_by(PostRow.id)
        )  # fmt: skip
        if community_id is not None:
            query = query.where(ScheduleRow.community_id == community_id)
        rows = (await self._s.execute(query)).all()
        return [PickOutcome(*cast(tuple[Any, ...], row)) for row in rows]
