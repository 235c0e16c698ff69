"""The SQLAlchemy unit of work: one session, one transaction, every repository."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.ports import (
    ActivityRepository,
    AuditRepository,
    CommunityRepository,
    LibraryReads,
    PostRepository,
    PromptRepository,
    ResponseRepository,
    ScheduleRepository,
    StateRepository,
)
from bot.storage.audit import SqlAudit
from bot.storage.library_reads import SqlLibraryReads
from bot.storage.posts import SqlPosts
from bot.storage.repositories import (
    SqlActivity,
    SqlCommunities,
    SqlPrompts,
    SqlResponses,
    SqlSchedules,
    SqlState,
)


class SqlUnitOfWork:
    """Implements bot.core.ports.UnitOfWork. Leaving the block without commit() rolls back."""

    communities: CommunityRepository
    schedules: ScheduleRepository
    prompts: PromptRepository
    posts: PostRepository
    responses: ResponseRepository
    activity: ActivityRepository
    state: StateRepository
    audit: AuditRepository
    library: LibraryReads

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        session = self._sessions()
        self._session = session
        self.communities = SqlCommunities(session)
        self.schedules = SqlSchedules(session)
        self.prompts = SqlPrompts(session)
        self.posts = SqlPosts(session)
        self.responses = SqlResponses(session)
        self.activity = SqlActivity(session)
        self.state = SqlState(session)
        self.audit = SqlAudit(session)
        self.library = SqlLibraryReads(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None

    async def commit(self) -> None:
        assert self._session is not None
        await self._session.commit()

    async def rollback(self) -> None:
        assert self._session is not None
        await self._session.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)
