"""The in-memory community and schedule repositories (see bot.testing.memory)."""

from __future__ import annotations

import copy
from collections.abc import Collection
from datetime import UTC, datetime

from bot.core.domain import Community, PlatformName, Schedule
from bot.core.ports import NewSchedule
from bot.scheduling.slots import spread_key
from bot.testing.memory_state import MemoryState


class MemoryCommunities:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def get(self, community_id: int) -> Community | None:
        return copy.deepcopy(self._s.communities.get(community_id))

    async def find(self, platform: PlatformName, external_id: str) -> Community | None:
        for c in self._s.communities.values():
            if c.platform == platform and c.external_id == external_id:
                return copy.deepcopy(c)
        return None

    async def ensure(self, platform: PlatformName, external_id: str, name: str = "") -> Community:
        found = await self.find(platform, external_id)
        if found:
            return found
        community = Community(self._s.new_id(), platform, external_id, name)
        self._s.communities[community.id] = community
        return copy.deepcopy(community)

    async def update(self, community: Community) -> None:
        self._s.communities[community.id] = copy.deepcopy(community)

    async def all(self) -> list[Community]:
        return [copy.deepcopy(c) for c in sorted(self._s.communities.values(), key=lambda c: c.id)]

    async def find_many(
        self, keys: Collection[tuple[PlatformName, str]]
    ) -> dict[tuple[PlatformName, str], Community]:
        wanted = set(keys)
        return {
            (c.platform, c.external_id): copy.deepcopy(c)
            for c in self._s.communities.values()
            if (c.platform, c.external_id) in wanted
        }


class MemorySchedules:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def add(self, new: NewSchedule, next_slot_at: datetime | None) -> Schedule:
        schedule = Schedule(
            id=self._s.new_id(),
            community_id=new.community_id,
            channel=new.channel,
            spec=new.spec,
            catch_up=new.catch_up,
            catch_up_limit=new.catch_up_limit,
            thread=new.thread,
            pin=new.pin,
            ping_role=new.ping_role,
            categories=new.categories,
            repeat_window_days=new.repeat_window_days,
            next_slot_at=next_slot_at,
            created_at=datetime.now(UTC),
        )
        self._s.schedules[schedule.id] = schedule
        return copy.deepcopy(schedule)

    async def get(self, schedule_id: int) -> Schedule | None:
        return copy.deepcopy(self._s.schedules.get(schedule_id))

    async def all(self, community_id: int | None = None) -> list[Schedule]:
        return [
            copy.deepcopy(s)
            for s in sorted(self._s.schedules.values(), key=lambda s: s.id)
            if community_id is None or s.community_id == community_id
        ]

    async def count(self, community_id: int) -> int:
        return len(await self.all(community_id))

    async def page(self, community_id: int, offset: int, limit: int) -> list[Schedule]:
        offset, limit = max(offset, 0), max(limit, 0)
        return (await self.all(community_id))[offset : offset + limit]

    async def for_channel(self, community_id: int, channel: str) -> list[Schedule]:
        return [s for s in await self.all(community_id) if s.channel == channel]

    async def update(self, schedule: Schedule) -> None:
        self._s.schedules[schedule.id] = copy.deepcopy(schedule)

    async def remove(self, schedule_id: int) -> None:
        doomed = {p.id for p in self._s.posts.values() if p.schedule_id == schedule_id}
        self._s.responses = {k: v for k, v in self._s.responses.items() if k[0] not in doomed}
        self._s.posts = {i: p for i, p in self._s.posts.items() if i not in doomed}
        self._s.schedules.pop(schedule_id, None)

    async def lock_due(self, now: datetime, limit: int) -> list[Schedule]:
        due = [
            s
            for s in self._s.schedules.values()
            if not s.paused and s.next_slot_at is not None and s.next_slot_at <= now
        ]
        due.sort(key=lambda s: (s.next_slot_at, spread_key(s.id), s.id))
        return [copy.deepcopy(s) for s in due[:limit]]

    async def earliest_next_slot(self) -> datetime | None:
        slots = [
            s.next_slot_at
            for s in self._s.schedules.values()
            if not s.paused and s.next_slot_at is not None
        ]
        return min(slots, default=None)
