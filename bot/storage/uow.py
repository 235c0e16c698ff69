"""The SQLAlchemy unit of work: one session, one transaction, every repository and read."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
from bot.storage.audit import SqlAudit
from bot.storage.communities import SqlCommunities
from bot.storage.engagement import SqlActivity, SqlResponses
from bot.storage.errors import UnitOfWorkClosed
from bot.storage.exports import SqlExports
from bot.storage.history_reader import SqlHistory
from bot.storage.library_reads import SqlLibraryReads
from bot.storage.member_data import SqlMemberData
from bot.storage.posts import SqlPosts
from bot.storage.prompts import SqlPrompts
from bot.storage.rituals import SqlRituals
from bot.storage.schedules import SqlSchedules
from bot.storage.state import SqlState


class SqlUnitOfWork:
    """Implements bot.core.ports.UnitOfWork. Leaving the block without commit() rolls back."""

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
        self.history = SqlHistory(session)
        self.member_data = SqlMemberData(session)
        self.exports = SqlExports(session)
        self.audit = SqlAudit(session)
        self.library = SqlLibraryReads(session)
        self.rituals = SqlRituals(session)
        return self

    def _open(self, action: str) -> AsyncSession:
        if self._session is None:
            raise UnitOfWorkClosed(action)
        return self._session

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._open("leave the block")
        try:
            await session.rollback()
        finally:
            await session.close()
            self._session = None

    async def commit(self) -> None:
        await self._open("commit").commit()

    async def rollback(self) -> None:
        await self._open("roll back").rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)
