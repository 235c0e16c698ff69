"""Analytics reports, charts and CSV tables kept for a minute per (community, period), so that
the page, its chart and its CSV (three requests) and paging back and forth read the history
once."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bot.analytics import StatsReport

KEEP_SECONDS = 60.0
T = TypeVar("T")


@dataclass
class Kept(Generic[T]):
    items: dict[tuple[int, str], tuple[float, T]] = field(default_factory=dict)

    async def get(self, key: tuple[int, str], make: Callable[[], Awaitable[T]]) -> T:
        found = self.items.get(key)
        if found is not None and time.monotonic() - found[0] < KEEP_SECONDS:
            return found[1]
        value = await make()
        self.items[key] = (time.monotonic(), value)
        return value


@dataclass
class ReportCache:
    reports: Kept[StatsReport] = field(default_factory=Kept)
    charts: Kept[bytes] = field(default_factory=Kept)
    tables: Kept[str] = field(default_factory=Kept)
