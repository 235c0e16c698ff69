"""The audit log port: who changed what, when, in which community (dashboard and chat alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded change. `actor` names who made it (e.g. `slack:U123`, `operator`),
    `action` what kind of change (`schedule.pause`, `prompt.add`, …), `detail` a short
    human-readable description; text is stored raw and escaped where it is rendered."""

    id: int
    community_id: int
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    """A page of a community's audit log, newest first; `before` fetches the next page."""

    entries: tuple[AuditEntry, ...]
    before: int | None  # the cursor for the next (older) page; None when this is the last


class AuditRepository(Protocol):
    """The append-only audit log, read per community."""

    async def add(
        self, community_id: int, actor: str, action: str, detail: str, at: datetime
    ) -> AuditEntry:
        """Append one entry (in the caller's transaction)."""
        ...

    async def page(self, community_id: int, limit: int, before: int | None = None) -> AuditPage:
        """Up to `limit` of the community's entries, most recently recorded first; with
        `before`, only entries older than that cursor (from a previous page)."""
        ...

    async def count(self, community_id: int) -> int:
        """How many entries the community's log holds."""
        ...
