"""The audit log in memory (implements bot.core.ports.AuditRepository for tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.core.ports import AuditEntry, AuditPage


class HoldsAudit(Protocol):
    """The memory store's state (its `audit` list is replaced on rollback, so read it late)."""

    audit: list[AuditEntry]


class MemoryAudit:
    """Entries live in the state the unit of work copies and publishes on commit."""

    def __init__(self, state: HoldsAudit) -> None:
        self._state = state

    @property
    def _entries(self) -> list[AuditEntry]:
        return self._state.audit

    async def add(
        self, community_id: int, actor: str, action: str, detail: str, at: datetime
    ) -> AuditEntry:
        next_id = max((e.id for e in self._entries), default=0) + 1
        entry = AuditEntry(next_id, community_id, at, actor, action, detail)
        self._entries.append(entry)
        return entry

    async def page(self, community_id: int, limit: int, before: int | None = None) -> AuditPage:
        found = [
            e
            for e in reversed(self._entries)
            if e.community_id == community_id and (before is None or e.id < before)
        ]
        entries = tuple(found[:limit])
        more = len(found) > limit
        return AuditPage(entries, entries[-1].id if more and entries else None)

    async def count(self, community_id: int) -> int:
        return sum(1 for e in self._entries if e.community_id == community_id)
