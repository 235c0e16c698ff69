"""An in-memory implementation of every repository and read-side port, for fast tests of
the core: the unit of work and the store; each repository lives in a `memory_*` module.

The same contract tests run against it and against SQLAlchemy on SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
from types import TracebackType
from typing import Self

from bot.core.ports import (
    ActivityRepository,
    AuditRepository,
    CommunityRepository,
    ExportReader,
    HistoryReader,
    LibraryReads,
    MemberDataRepository,
    PostRepository,
    PromptRepository,
    ResponseRepository,
    RitualRepository,
    ScheduleRepository,
    StateRepository,
)
from bot.testing.memory_audit import MemoryAudit
from bot.testing.memory_communities import MemoryCommunities, MemorySchedules
from bot.testing.memory_engagement import MemoryActivity, MemoryResponses
from bot.testing.memory_library import MemoryLibraryReads
from bot.testing.memory_member_data import MemoryMemberData
from bot.testing.memory_posts import MemoryPosts
from bot.testing.memory_prompts import MemoryPrompts
from bot.testing.memory_reads import MemoryExports, MemoryHistory
from bot.testing.memory_rituals import MemoryRituals
from bot.testing.memory_state import MemoryState

__all__ = ["MemoryState", "MemoryStore", "MemoryUnitOfWork"]


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
    history: HistoryReader
    member_data: MemberDataRepository
    exports: ExportReader
    audit: AuditRepository
    library: LibraryReads
    rituals: RitualRepository

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
        self.history = MemoryHistory(self._work)
        self.member_data = MemoryMemberData(self._work)
        self.exports = MemoryExports(self._work)
        self.audit = MemoryAudit(self._work)
        self.library = MemoryLibraryReads(self._work)
        self.rituals = MemoryRituals(self._work)
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
