"""Telling one member something privately (e.g. why their suggestion was not taken), for the
doors that have no chat reply to carry it (the dashboard)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class MemberMessages(Protocol):
    async def message_member(self, community: str, member_id: str, text: str) -> bool:
        """Send `text` (plain, escaped by the platform) to the member as a direct message;
        False if it could not be delivered."""
        ...
