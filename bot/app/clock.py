"""The wall clock the running bot uses (tests hand in their own bot.core.ports.Clock)."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """The wall clock, in UTC (bot.core.ports.Clock)."""

    def now(self) -> datetime:
        return datetime.now(UTC)
