"""SQLAlchemy implementations of the repository ports (bot.core.ports)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy import BigInteger, delete, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.core.domain import (
    Community,
    PlatformName,
    Prompt,
    PromptDraft,
    PromptSource,
    PromptStatus,
    ResponseKind,
    Schedule,
)
from bot.core.ports import ActivityRecord, NewSchedule, ResponseRecord
from bot.scheduling.slots import SPREAD_MODULUS, SPREAD_MULTIPLIER
from bot.storage import bulk
from bot.storage.dialect import dialect_insert
from bot.storage.mapping import (
    community_from_row,
    prompt_from_row,
    schedule_from_row,
    schedule_to_columns,
    spec_to_columns,
)
from bot.storage.models import (
    ActivityRow,
    CommunityRow,
    PostRow,
    PromptRow,
    ResponseRow,
    ScheduleRow,
    StateRow,
)


def _now() -> datetime:
    return datetime.now(UTC)


class SqlCommunities:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, community_id: int) -> Community | None:
        row = await self._s.get(CommunityRow, community_id)
        return community_from_row(row) if row else None

    async def find(self, platform: PlatformName, external_id: str) -> Community | None:
        row = await self._s.scalar(
            select(CommunityRow).filter_by(platform=platform.value, external_id=external_id)
        )
        return community_from_row(row) if row else None

    async def ensure(self, platform: PlatformName, external_id: str, name: str = "") -> Community:
        insert = dialect_insert(self._s)
        await self._s.execute(
            insert(CommunityRow)
            .values(
                platform=platform.value,
                external_id=external_id,
                name=name,
                manager_ids=[],
                manager_role_ids=[],
                created_at=_now(),
            )
            .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        )
        found = await self.find(platform, external_id)
        assert found is not None
        return found

    async def update(self, community: Community) -> None:
        await self._s.execute(
            update(CommunityRow)
            .where(CommunityRow.id == community.id)
            .values(
                name=community.name,
                manager_ids=list(community.manager_ids),
                manager_role_ids=list(community.manager_role_ids),
                review_channel=community.review_channel,
                holdout=community.holdout,
            )
        )

    async def all(self) -> list[Community]:
        rows = await self._s.scalars(select(CommunityRow).order_by(CommunityRow.id))
        return [community_from_row(r) for r in rows]

    async def find_many(
        self, keys: Collection[tuple[PlatformName, str]]
    ) -> dict[tuple[PlatformName, str], Community]:
        return await bulk.find_communities(self._s, keys)


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
            created_at=_now(),
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


class SqlPrompts:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, prompt_id: int) -> Prompt | None:
        row = await self._s.get(PromptRow, prompt_id)
        return prompt_from_row(row) if row else None

    async def by_key(self, key: str) -> Prompt | None:
        row = await self._s.scalar(select(PromptRow).filter_by(key=key))
        return prompt_from_row(row) if row else None

    async def add(
        self,
        draft: PromptDraft,
        source: PromptSource,
        status: PromptStatus = PromptStatus.ACTIVE,
        community_id: int | None = None,
        suggested_by: str | None = None,
    ) -> Prompt:
        row = PromptRow(
            key=draft.key,
            text=draft.text,
            category=draft.category,
            tags=list(draft.tags),
            choices=[[c.emoji, c.label] for c in draft.choices],
            source=source.value,
            status=status.value,
            community_id=community_id,
            pack=draft.pack,
            suggested_by=suggested_by,
            created_at=_now(),
        )
        self._s.add(row)
        await self._s.flush()
        return prompt_from_row(row)

    async def update(self, prompt: Prompt) -> None:
        await self._s.execute(
            update(PromptRow)
            .where(PromptRow.id == prompt.id)
            .values(
                text=prompt.text,
                category=prompt.category,
                tags=list(prompt.tags),
                choices=[[c.emoji, c.label] for c in prompt.choices],
                status=prompt.status.value,
                pack=prompt.pack,
                community_id=prompt.community_id,
            )
        )

    async def all(
        self,
        status: PromptStatus | None = PromptStatus.ACTIVE,
        community_id: int | None = None,
        include_global: bool = True,
    ) -> list[Prompt]:
        query = select(PromptRow).order_by(PromptRow.id)
        if status is not None:
            query = query.where(PromptRow.status == status.value)
        scopes: list[ColumnElement[bool]] = []
        if include_global:
            scopes.append(PromptRow.community_id.is_(None))
        if community_id is not None:
            scopes.append(PromptRow.community_id == community_id)
        if scopes:
            query = query.where(or_(*scopes))
        return [prompt_from_row(r) for r in await self._s.scalars(query)]

    async def change_status(
        self, prompt_id: int, community_id: int, expected: PromptStatus, new: PromptStatus
    ) -> bool:
        result = await self._s.execute(
            update(PromptRow)
            .where(
                PromptRow.id == prompt_id,
                PromptRow.community_id == community_id,
                PromptRow.status == expected.value,
            )
            .values(status=new.value)
        )
        return bool(getattr(result, "rowcount", 0) == 1)


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

    async def add_many(self, responses: Sequence[ResponseRecord]) -> None:
        await bulk.insert_responses(self._s, responses)

    async def remove_many(self, responses: Collection[tuple[int, str, ResponseKind, str]]) -> None:
        await bulk.delete_responses(self._s, responses)


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
        await bulk.upsert_activity(self._s, seen)


class SqlState:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, key: str) -> str | None:
        row = await self._s.get(StateRow, key)
        return row.value if row else None

    async def put_if_absent(self, key: str, value: str) -> str:
        insert = dialect_insert(self._s)
        await self._s.execute(
            insert(StateRow)
            .values(key=key, value=value)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        stored = await self._s.scalar(select(StateRow.value).where(StateRow.key == key))
        assert stored is not None
        return stored

    async def put(self, key: str, value: str) -> None:
        insert = dialect_insert(self._s)
        statement = insert(StateRow).values(key=key, value=value)
        await self._s.execute(
            statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
        )
