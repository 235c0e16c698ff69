"""The audit log on SQLAlchemy (implements bot.core.ports.AuditRepository)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ports import AuditEntry, AuditPage
from bot.storage.models import AuditRow


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.id, row.community_id, row.at, row.actor, row.action, row.detail)


class SqlAudit:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self, community_id: int, actor: str, action: str, detail: str, at: datetime
    ) -> AuditEntry:
        row = AuditRow(community_id=community_id, at=at, actor=actor, action=action, detail=detail)
        self._s.add(row)
        await self._s.flush()
        return _entry(row)

    async def page(self, community_id: int, limit: int, before: int | None = None) -> AuditPage:
        query = select(AuditRow).where(AuditRow.community_id == community_id)
        if before is not None:
            query = query.where(AuditRow.id < before)
        rows = list(await self._s.scalars(query.order_by(AuditRow.id.desc()).limit(limit + 1)))
        entries = tuple(_entry(r) for r in rows[:limit])
        more = len(rows) > limit
        return AuditPage(entries, entries[-1].id if more and entries else None)

    async def count(self, community_id: int) -> int:
        query = select(func.count()).select_from(AuditRow)
        return int(await self._s.scalar(query.where(AuditRow.community_id == community_id)) or 0)
