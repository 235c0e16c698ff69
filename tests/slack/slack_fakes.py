"""Hand-written stand-ins for the core, for adapter tests that do not need it."""

from __future__ import annotations

from bot.core.domain import Community, EngagementEvent, PlatformName
from bot.core.invocations import Invocation, Reply

PNG = b"\x89PNG\r\n\x1a\nfake-chart"


class ChartCommands:
    """Answers every command with a chart."""

    def __init__(self) -> None:
        self.invocations: list[Invocation] = []

    async def run(self, inv: Invocation, text: str) -> Reply:
        self.invocations.append(inv)
        return Reply("Here is your chart", chart_png=PNG)

    async def approve(self, inv: Invocation, prompt_id: int) -> Reply:
        raise AssertionError("not used")

    async def reject(self, inv: Invocation, prompt_id: int, reason: str) -> Reply:
        raise AssertionError("not used")


class NoCore:
    async def handle_event(self, event: EngagementEvent) -> None:
        raise AssertionError("not used")

    async def remove_bot(self, platform: PlatformName, community: str, member_id: str) -> int:
        return 0

    async def community(self, platform: PlatformName, external_id: str) -> Community | None:
        return None
