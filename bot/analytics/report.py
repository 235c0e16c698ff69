"""Everything a manager sees about one scope (a channel, a community, or all of them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.analytics.stats import (
    CategoryStats,
    PromptStats,
    Rate,
    category_stats,
    median_first_response,
    pooled_rates,
    prompt_stats,
    rate_of,
)
from bot.analytics.trend import WeekPoint, channel_trends, trend_arrow, weekly_trend
from bot.core.history import History


@dataclass(frozen=True)
class Scope:
    """Which posts to look at; None means any."""

    community_id: int | None = None
    channel: str | None = None
    since: datetime | None = None
    label: str = "all communities"


@dataclass(frozen=True)
class StatsReport:
    scope: Scope
    posts: int
    rate: Rate
    prompts: list[PromptStats]
    pooled: dict[int, Rate]
    categories: list[CategoryStats]
    weeks: list[WeekPoint]
    channels: dict[str, list[WeekPoint]]
    median_first_response: timedelta | None
    eligible_left: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def arrow(self) -> str:
        return trend_arrow(self.weeks)

    def measured(self) -> list[PromptStats]:
        """Prompts with at least one closed post, best first."""
        return [p for p in self.prompts if p.rate.audience]

    def best(self, count: int = 3) -> list[PromptStats]:
        return self.measured()[:count]

    def worst(self, count: int = 3) -> list[PromptStats]:
        measured = self.measured()
        return list(reversed(measured))[: min(count, max(len(measured) - count, 0))]


def build_report(
    history: History, scope: Scope, now: datetime, eligible_left: int | None = None
) -> StatsReport:
    """Stats of the posts in `scope`, each prompt also pooled over every community."""
    posts = history.where(scope.community_id, scope.channel, scope.since)
    everywhere = history.where(since=scope.since)
    prompts = prompt_stats(posts, history.prompts, now)
    return StatsReport(
        scope=scope,
        posts=len(posts),
        rate=rate_of(posts, now),
        prompts=prompts,
        pooled=pooled_rates(everywhere, [p.prompt_id for p in prompts], now),
        categories=category_stats(posts, history.prompts, now),
        weeks=weekly_trend(posts, now),
        channels=channel_trends(posts, now),
        median_first_response=median_first_response(posts),
        eligible_left=eligible_left,
    )
