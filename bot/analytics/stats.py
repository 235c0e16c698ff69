"""Per-prompt and per-category statistics: pure functions over PostFact rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.analytics.beta import credible_interval, posterior_mean
from bot.core.domain import ResponseKind
from bot.core.history import PostFact, PromptInfo
from bot.learning.metric import engagement


@dataclass(frozen=True)
class Rate:
    """Summed responders over summed audience of closed posts, with its credible interval."""

    responders: int
    audience: int

    @property
    def value(self) -> float | None:
        return self.responders / self.audience if self.audience else None

    @property
    def interval(self) -> tuple[float, float]:
        return credible_interval(self.responders, self.audience)

    @property
    def posterior_mean(self) -> float:
        return posterior_mean(self.responders, self.audience)


def post_outcome(post: PostFact, now: datetime) -> tuple[int, int] | None:
    """(unique responders, audience) of a post once its response window closed, else None."""
    pairs = [(r.member_key, r.at) for r in post.responses]
    return engagement(post.posted_at, post.next_posted_at, pairs, set(), post.audience, now)


def first_response_after(post: PostFact) -> timedelta | None:
    """How long after the post its first response came (None if nobody responded)."""
    times = [r.at for r in post.responses if r.at >= post.posted_at]
    return min(times) - post.posted_at if times else None


def rate_of(posts: Iterable[PostFact], now: datetime) -> Rate:
    responders = audience = 0
    for post in posts:
        outcome = post_outcome(post, now)
        if outcome is not None:
            responders += outcome[0]
            audience += outcome[1]
    return Rate(responders, audience)


@dataclass(frozen=True)
class PromptStats:
    prompt_id: int
    text: str
    category: str
    times_posted: int
    rate: Rate
    unique_responders: int
    replies: int
    reactions: int
    median_first_response: timedelta | None


@dataclass(frozen=True)
class CategoryStats:
    category: str
    times_posted: int
    prompts: int
    rate: Rate


def median_first_response(posts: Iterable[PostFact]) -> timedelta | None:
    """Median time from a post to its first response, over posts that drew any."""
    delays = sorted(d for d in (first_response_after(p) for p in posts) if d is not None)
    if not delays:
        return None
    middle = len(delays) // 2
    return delays[middle] if len(delays) % 2 else (delays[middle - 1] + delays[middle]) / 2


def _by_prompt(posts: Iterable[PostFact]) -> dict[int, list[PostFact]]:
    grouped: dict[int, list[PostFact]] = defaultdict(list)
    for post in posts:
        grouped[post.prompt_id].append(post)
    return grouped


def prompt_stats(
    posts: Sequence[PostFact], prompts: Mapping[int, PromptInfo], now: datetime
) -> list[PromptStats]:
    """One row per prompt posted, best first (by posterior mean, then most posted)."""
    rows = []
    for prompt_id, group in _by_prompt(posts).items():
        info = prompts.get(prompt_id, PromptInfo(prompt_id, f"(prompt {prompt_id})", "unknown"))
        responses = [r for p in group for r in p.responses]
        rows.append(
            PromptStats(
                prompt_id,
                info.text,
                info.category,
                len(group),
                rate_of(group, now),
                len({r.member_key for r in responses}),
                sum(1 for r in responses if r.kind is ResponseKind.REPLY),
                sum(1 for r in responses if r.kind is ResponseKind.REACTION),
                median_first_response(group),
            )
        )
    return sorted(rows, key=lambda s: (-s.rate.posterior_mean, -s.times_posted, s.prompt_id))


def pooled_rates(
    posts: Sequence[PostFact], prompt_ids: Iterable[int], now: datetime
) -> dict[int, Rate]:
    """The same per-prompt rate over every channel of every community."""
    grouped = _by_prompt(posts)
    return {k: rate_of(grouped.get(k, []), now) for k in prompt_ids}


def category_stats(
    posts: Sequence[PostFact], prompts: Mapping[int, PromptInfo], now: datetime
) -> list[CategoryStats]:
    """One row per category posted, best first."""
    grouped: dict[str, list[PostFact]] = defaultdict(list)
    for post in posts:
        info = prompts.get(post.prompt_id)
        grouped[info.category if info else "unknown"].append(post)
    rows = [
        CategoryStats(name, len(group), len({p.prompt_id for p in group}), rate_of(group, now))
        for name, group in grouped.items()
    ]
    return sorted(rows, key=lambda c: (-c.rate.posterior_mean, c.category))
