"""The audit trail: every change a manager makes, from the dashboard or chat, is written here
with who made it, what it was and when; managers read it per community, newest first."""

from __future__ import annotations

from bot.core.authz import Access, Caller
from bot.core.ports import AuditEntry, AuditPage, Clock, UnitOfWork, UnitOfWorkFactory

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_DETAIL_LIMIT = 2000


def actor_of(caller: Caller) -> str:
    """`slack:U123`, `discord:42`, `console:local-user`; the CLI's operator is `operator`."""
    if caller.member_id == "operator":
        return "operator"
    return f"{caller.community.platform.value}:{caller.member_id}"


class AuditTrail:
    """Writes and reads the audit log of the caller's community."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, access: Access) -> None:
        self.uow = uow
        self.clock = clock
        self.access = access

    async def note(self, u: UnitOfWork, caller: Caller, action: str, detail: str) -> AuditEntry:
        """Record a change inside the transaction that makes it (committed with it)."""
        return await u.audit.add(
            caller.community.id, actor_of(caller), action, detail[:_DETAIL_LIMIT], self.clock.now()
        )

    async def record(self, caller: Caller, action: str, detail: str) -> AuditEntry:
        """Record a change that another use case already committed."""
        async with self.uow() as u:
            entry = await self.note(u, caller, action, detail)
            await u.commit()
        return entry

    async def page(
        self, caller: Caller, limit: int = PAGE_SIZE, before: int | None = None
    ) -> AuditPage:
        """One page of the caller's community log, newest first (managers only)."""
        self.access.require_manager(caller)
        async with self.uow() as u:
            return await u.audit.page(
                caller.community.id, max(1, min(limit, MAX_PAGE_SIZE)), before
            )
