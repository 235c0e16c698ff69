"""An in-memory implementation of every repository port, for fast tests of the core.

The same contract tests run against it and against SQLAlchemy on SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from bot.core.domain import (
    Community,
    PlatformName,
    Post,
    Prompt,
    PromptDraft,
    PromptSource,
    PromptStatus,
    ResponseKind,
    Schedule,
)
from bot.core.ports import (
    ActivityRecord,
    ActivityRepository,
    AuditEntry,
    AuditRepository,
    CommunityRepository,
    LibraryReads,
    NewSchedule,
    PostRepository,
    PromptRepository,
    ResponseRecord,
    ResponseRepository,
    ScheduleRepository,
    StateRepository,
)
from bot.scheduling.slots import spread_key
from bot.testing.memory_audit import MemoryAudit
from bot.testing.memory_library import MemoryLibraryReads
from bot.testing.memory_posts import MemoryPosts


@dataclass
class MemoryState:
    communities: dict[int, Community] = field(default_factory=dict)
    schedules: dict[int, Schedule] = field(default_factory=dict)
    prompts: dict[int, Prompt] = field(default_factory=dict)
    posts: dict[int, Post] = field(default_factory=dict)
    responses: dict[tuple[int, str, ResponseKind, str], datetime] = field(default_factory=dict)
    activity: dict[tuple[int, str, str], datetime] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


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


class MemoryPrompts:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def get(self, prompt_id: int) -> Prompt | None:
        return copy.deepcopy(self._s.prompts.get(prompt_id))

    async def by_key(self, key: str) -> Prompt | None:
        return next((copy.deepcopy(p) for p in self._s.prompts.values() if p.key == key), None)

    async def add(
        self,
        draft: PromptDraft,
        source: PromptSource,
        status: PromptStatus = PromptStatus.ACTIVE,
        community_id: int | None = None,
        suggested_by: str | None = None,
    ) -> Prompt:
        if await self.by_key(draft.key):
            raise ValueError(f"duplicate prompt key {draft.key}")
        prompt = Prompt(
            self._s.new_id(),
            draft.key,
            draft.text,
            draft.category,
            draft.tags,
            draft.choices,
            source,
            status,
            community_id,
            draft.pack,
            suggested_by,
            datetime.now(UTC),
        )
        self._s.prompts[prompt.id] = prompt
        return copy.deepcopy(prompt)

    async def update(self, prompt: Prompt) -> None:
        self._s.prompts[prompt.id] = copy.deepcopy(prompt)

    async def all(
        self,
        status: PromptStatus | None = PromptStatus.ACTIVE,
        community_id: int | None = None,
        include_global: bool = True,
    ) -> list[Prompt]:
        def in_scope(p: Prompt) -> bool:
            return (include_global and p.community_id is None) or (
                community_id is not None and p.community_id == community_id
            )

        return [
            copy.deepcopy(p)
            for p in sorted(self._s.prompts.values(), key=lambda p: p.id)
            if (status is None or p.status == status)
            and (in_scope(p) or (not include_global and community_id is None))
        ]

    async def change_status(
        self, prompt_id: int, community_id: int, expected: PromptStatus, new: PromptStatus
    ) -> bool:
        prompt = self._s.prompts.get(prompt_id)
        if prompt is None or prompt.community_id != community_id or prompt.status != expected:
            return False
        prompt.status = new
        return True


class MemoryResponses:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def add(
        self, post_id: int, member_key: str, kind: ResponseKind, emoji: str, at: datetime
    ) -> bool:
        key = (post_id, member_key, kind, emoji)
        if key in self._s.responses:
            return False
        self._s.responses[key] = at
        return True

    async def remove(self, post_id: int, member_key: str, kind: ResponseKind, emoji: str) -> bool:
        return self._s.responses.pop((post_id, member_key, kind, emoji), None) is not None

    async def for_post(self, post_id: int) -> list[tuple[str, ResponseKind, str, datetime]]:
        return [(k[1], k[2], k[3], at) for k, at in self._s.responses.items() if k[0] == post_id]

    async def add_many(self, responses: Sequence[ResponseRecord]) -> None:
        for r in responses:
            self._s.responses.setdefault((r.post_id, r.member_key, r.kind, r.emoji), r.at)

    async def remove_many(self, responses: Collection[tuple[int, str, ResponseKind, str]]) -> None:
        for key in responses:
            self._s.responses.pop(key, None)


class MemoryActivity:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def seen(self, community_id: int, channel: str, member_key: str, at: datetime) -> None:
        key = (community_id, channel, member_key)
        previous = self._s.activity.get(key)
        self._s.activity[key] = at if previous is None else max(previous, at)

    async def audience(self, community_id: int, channel: str, since: datetime) -> int:
        return sum(
            1
            for (cid, ch, _), at in self._s.activity.items()
            if cid == community_id and ch == channel and at >= since
        )

    async def seen_many(self, seen: Sequence[ActivityRecord]) -> None:
        for s in seen:
            await self.seen(s.community_id, s.channel, s.member_key, s.at)


class MemoryKeyValue:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def get(self, key: str) -> str | None:
        return self._s.state.get(key)

    async def put(self, key: str, value: str) -> None:
        self._s.state[key] = value

    async def put_if_absent(self, key: str, value: str) -> str:
        return self._s.state.setdefault(key, value)


class MemoryUnitOfWork:
    """Works on a copy of the shared state; commit() publishes the copy."""

    communities: CommunityRepository
    schedules: ScheduleRepository
    prompts: PromptRepository
    posts: PostRepository
    responses: ResponseRepository
    activity: ActivityRepository
    state: StateRepository
    audit: AuditRepository
    library: LibraryReads

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def __aenter__(self) -> Self:
        self._work = copy.deepcopy(self._store.state)
        self.communities = MemoryCommunities(self._work)
        self.schedules = MemorySchedules(self._work)
        self.prompts = MemoryPrompts(self._work)
        self.posts = MemoryPosts(self._work)
        self.responses = MemoryResponses(self._work)
        self.activity = MemoryActivity(self._work)
        self.state = MemoryKeyValue(self._work)
        self.audit = MemoryAudit(self._work)
        self.library = MemoryLibraryReads(self._work)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        self._store.state = copy.deepcopy(self._work)

    async def rollback(self) -> None:
        self._work.__dict__.update(copy.deepcopy(self._store.state).__dict__)


class MemoryStore:
    """The fake database; call it to get a unit of work (it is a UnitOfWorkFactory)."""

    def __init__(self) -> None:
        self.state = MemoryState()

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)
