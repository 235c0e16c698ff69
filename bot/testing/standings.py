"""A hand-written Standings fake: who is what in which community, as a test sets it."""

from __future__ import annotations

from bot.core.ports import Standing


class FakeStandings:
    """bot.core.ports.Standings from a table the test fills (and may change mid-test)."""

    def __init__(self) -> None:
        self.table: dict[tuple[str, str], Standing] = {}
        self.asked: list[tuple[str, str]] = []

    def set(self, community: str, member_id: str, standing: Standing | None) -> None:
        if standing is None:
            self.table.pop((community, member_id), None)
        else:
            self.table[(community, member_id)] = standing

    async def standing(self, community: str, member_id: str) -> Standing | None:
        self.asked.append((community, member_id))
        return self.table.get((community, member_id))
