"""Engagement over time: weekly points per channel, and which way it is heading."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.analytics.stats import Rate, rate_of
from bot.core.history import PostFact

UP, DOWN, FLAT = "↑", "↓", "→"
# A change smaller than this share of the earlier rate is shown as flat.
FLAT_BAND = 0.1


@dataclass(frozen=True)
class WeekPoint:
    week: date  # the Monday (UTC) the week starts on
    posts: int
    rate: Rate


def week_start(at: datetime) -> date:
    day = at.date()
    return day - timedelta(days=day.weekday())


def weekly_trend(posts: Iterable[PostFact], now: datetime) -> list[WeekPoint]:
    """One point per week that had posts, oldest first."""
    weeks: dict[date, list[PostFact]] = defaultdict(list)
    for post in posts:
        weeks[week_start(post.posted_at)].append(post)
    return [WeekPoint(w, len(weeks[w]), rate_of(weeks[w], now)) for w in sorted(weeks)]


def channel_trends(posts: Iterable[PostFact], now: datetime) -> dict[str, list[WeekPoint]]:
    """Weekly points for each channel (keyed "community_id/channel")."""
    grouped: dict[str, list[PostFact]] = defaultdict(list)
    for post in posts:
        grouped[f"{post.community_id}/{post.channel}"].append(post)
    return {name: weekly_trend(group, now) for name, group in sorted(grouped.items())}


def _pooled(points: Sequence[WeekPoint]) -> float | None:
    return Rate(sum(p.rate.responders for p in points), sum(p.rate.audience for p in points)).value


def trend_arrow(points: Sequence[WeekPoint]) -> str:
    """↑/↓ when the later half of the weeks beats/trails the earlier half by over 10 %."""
    measured = [p for p in points if p.rate.audience]
    if len(measured) < 2:
        return FLAT
    half = len(measured) // 2
    earlier, later = _pooled(measured[:half]), _pooled(measured[half:])
    if earlier is None or later is None:
        return FLAT
    if later > earlier * (1 + FLAT_BAND) and later - earlier > 1e-12:
        return UP
    if later < earlier * (1 - FLAT_BAND):
        return DOWN
    return FLAT
