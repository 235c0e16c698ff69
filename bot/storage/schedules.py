"""The SQL schedule repository (bot.core.ports.ScheduleRepository)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Schedule
from bot.core.ports import NewSchedule
from bot.scheduling.slots import SPREAD_MODULUS, SPREAD_MULTIPLIER
from bot.storage.mapping import schedule_from_row, schedule_to_columns, spec_to_columns
from bot.storage.models import PostRow, ResponseRow, ScheduleRow
from bot.storage.types import utc_now


class SqlSchedules:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, new: NewSchedule, next_slot_at: datetime | None) -> Schedule:
        row = ScheduleRow(
            community_id=new.community_id,
            channel=new.channel,
            **spec_to_columns(new.spec),
            catch_up=new.catch_up.value,
            catch_up_limit=new.catch_up_limit,
            paused=False,
            thread=new.thread,
            pin=new.pin,
            ping_role=new.ping_role,
            categories=list(new.categories),
            repeat_window_days=new.repeat_window_days,
            next_slot_at=next_slot_at,
            digest=False,
            digest_weekday=0,
            digest_time="09:00",
            created_at=utc_now(),
        )
        self._s.add(row)
        await self._s.flush()
        return schedule_from_row(row)

    async def get(self, schedule_id: int) -> Schedule | None:
        row = await self._s.get(ScheduleRow, schedule_id)
        return schedule_from_row(row) if row else None

    async def all(self, community_id: int | None = None) -> list[Schedule]:
        query = select(ScheduleRow).order_by(ScheduleRow.id)
        if community_id is not None:
            query = query.where(ScheduleRow.community_id == community_id)
        return [schedule_from_row(r) for r in await self._s.scalars(query)]

    async def count(self, community_id: int) -> int:
        query = select(func.count()).where(ScheduleRow.community_id == community_id)
        return int(await self._s.scalar(query) or 0)

    async def page(self, community_id: int, offset: int, limit: int) -> list[Schedule]:
        query = (
            select(ScheduleRow)
            .where(ScheduleRow.community_id == community_id)
            .order_by(ScheduleRow.id)
            .offset(max(offset, 0))
            .limit(max(limit, 0))
        )
        return [schedule_from_row(r) for r in await self._s.scalars(query)]

    async def for_channel(self, community_id: int, channel: str) -> list[Schedule]:
        query = select(ScheduleRow).filter_by(community_id=community_id, channel=channel)
        return [schedule_from_row(r) for r in await self._s.scalars(query.order_by(ScheduleRow.id))]

    async def update(self, schedule: Schedule) -> None:
        await self._s.execute(
            update(ScheduleRow)
            .where(ScheduleRow.id == schedule.id)
            .values(**schedule_to_columns(schedule))
        )

    async def remove(self, schedule_id: int) -> None:
        await self._s.execute(
            delete(ResponseRow).where(
                ResponseRow.post_id.in_(
                    select(PostRow.id).where(PostRow.schedule_id == schedule_id)
                )
            )
        )
        await self._s.execute(delete(PostRow).where(PostRow.schedule_id == schedule_id))
        await self._s.execute(delete(ScheduleRow).where(ScheduleRow.id == schedule_id))

    async def lock_due(self, now: datetime, limit: int) -> list[Schedule]:
        query = (
            select(ScheduleRow)
            .where(ScheduleRow.paused.is_(False), ScheduleRow.next_slot_at <= now)
            .order_by(
                ScheduleRow.next_slot_at,
                (ScheduleRow.id * literal(SPREAD_MULTIPLIER, BigInteger)) % SPREAD_MODULUS,
                ScheduleRow.id,
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [schedule_from_row(r) for r in await self._s.scalars(query)]

    async def earliest_next_slot(self) -> datetime | None:
        value = await self._s.scalar(
            select(func.min(ScheduleRow.next_slot_at)).where(ScheduleRow.paused.is_(False))
        )
        if value is None:
            return None
        # func.min bypasses the column type on SQLite; normalise here.
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
