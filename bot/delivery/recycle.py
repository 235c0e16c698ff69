"""Recycling proven prompts: when a channel's no-repeat window leaves nothing to post (or on
every slot, per the community's `recycle` setting), prompts that engaged best in this channel
come back once their last post here is at least `recycle_after_days` old.

"Proven" means the lower end of the prompt's engagement interval in this channel (a 90 %
Wilson interval of its unique responders over its audience, all its closed posts here pooled)
is in the top quartile of the channel's measured prompts that fit its categories.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from bot.core.domain import Post, PostStatus
from bot.core.library_health import LibraryHealthSettings, RecycleMode
from bot.learning.selection import Candidate

_Z90 = 1.6449


def wilson_lower(responders: int, audience: int) -> float:
    """The lower end of the 90 % Wilson score interval of responders / audience."""
    if audience <= 0:
        return 0.0
    p = min(responders, audience) / audience
    z2 = _Z90 * _Z90
    centre = p + z2 / (2 * audience)
    spread = _Z90 * math.sqrt(p * (1 - p) / audience + z2 / (4 * audience * audience))
    return max(0.0, (centre - spread) / (1 + z2 / audience))


def proven(posts: Iterable[Post], pool: Sequence[Candidate]) -> set[int]:
    """The pool's prompts whose engagement interval is in the top quartile in this channel."""
    wanted = {c.prompt_id for c in pool}
    sums: dict[int, list[int]] = {}
    for post in posts:
        if post.prompt_id in wanted and post.audience and post.responders is not None:
            totals = sums.setdefault(post.prompt_id, [0, 0])
            totals[0] += post.responders
            totals[1] += post.audience
    if not sums:
        return set()
    lows = {pid: wilson_lower(y, n) for pid, (y, n) in sums.items()}
    ranked = sorted(lows.values(), reverse=True)
    cutoff = ranked[max(math.ceil(len(ranked) / 4) - 1, 0)]
    return {pid for pid, low in lows.items() if low >= cutoff}


def recyclable(
    posts: Sequence[Post], pool: Sequence[Candidate], slot: datetime, after_days: int
) -> list[Candidate]:
    """Proven prompts of the pool not posted (or claimed) in this channel within `after_days`
    before the slot."""
    since = slot - timedelta(days=after_days)
    blocked = {
        p.prompt_id
        for p in posts
        if p.slot_at >= since and p.status in (PostStatus.CLAIMED, PostStatus.SENT)
    }
    best = proven(posts, pool)
    return [c for c in pool if c.prompt_id in best and c.prompt_id not in blocked]


def wants_recycling(settings: LibraryHealthSettings, eligible_now: int) -> bool:
    """Whether this slot looks for recyclable prompts at all."""
    if settings.recycle is RecycleMode.ALWAYS:
        return True
    return settings.recycle is RecycleMode.WHEN_EMPTY and eligible_now == 0


def with_recycled(
    candidates: Sequence[Candidate], recycled: Sequence[Candidate]
) -> list[Candidate]:
    """The eligible candidates plus the recycled ones not among them, in prompt order."""
    have = {c.prompt_id for c in candidates}
    extra = [c for c in recycled if c.prompt_id not in have]
    return sorted([*candidates, *extra], key=lambda c: c.prompt_id)
