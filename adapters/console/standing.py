"""Who the console's one person is in the local community: its operator, so an admin."""

from __future__ import annotations

from adapters.console.translate import COMMUNITY, MEMBER
from bot.core.ports import Standing


class ConsoleStandings:
    """bot.core.ports.Standings for the console: only the local person in the local community."""

    member_id = MEMBER
    community = COMMUNITY

    async def standing(self, community: str, member_id: str) -> Standing | None:
        if (community, member_id) != (COMMUNITY, MEMBER):
            return None
        return Standing(is_admin=True)
