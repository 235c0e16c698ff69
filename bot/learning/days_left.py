"""Days left: how long a channel's schedule can go on posting before its no-repeat window and
its category filter run out of prompts.

The schedule is simulated forward slot by slot, without learning: each slot takes the eligible
prompt posted longest ago (never-posted prompts first), which is the order that keeps prompts
available longest, and a prompt becomes eligible again once its last post is more than the
repeat window before the slot (the deliverer's rule). The first slot that finds no eligible
prompt is where the library runs out; recycling (bot.delivery.recycle) is not counted.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.domain import Post, PostStatus, Schedule, ScheduleSpec
from bot.core.ports import PostRepository
from bot.learning.selection import Candidate
from bot.scheduling.slot_times import upcoming

LOW_DAYS_LEFT = 14
HORIZON_DAYS = 365
MAX_SLOTS = 3000  # a rhythm of many slots a day is simulated for at most this many slots
SHORT_SHOWN = 3
_CHUNK = 64
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DaysLeft:
    """`days`: whole days from `start` to the first slot no prompt can fill, None if every
    slot within `horizon_days` is filled (or the schedule never fires). `slots`: the slots
    filled before that. `short`: the channel's categories with the fewest prompts, fewest
    first, as (category, prompts)."""

    days: int | None
    slots: int
    horizon_days: int
    runs_out_at: datetime | None = None
    short: tuple[tuple[str, int], ...] = ()

    @property
    def low(self) -> bool:
        return self.days is not None and self.days < LOW_DAYS_LEFT

    def label(self) -> str:
        if self.days is None:
            return f"{self.horizon_days}+ days"
        return "1 day" if self.days == 1 else f"{self.days} days"

    def short_label(self) -> str:
        return ", ".join(f"{name} ({count})" for name, count in self.short)


def last_posted(posts: Iterable[Post]) -> dict[int, datetime]:
    """Each prompt's latest slot among the posts that block a repeat (claimed or sent)."""
    latest: dict[int, datetime] = {}
    for post in posts:
        if post.prompt_id is None or post.status not in (PostStatus.CLAIMED, PostStatus.SENT):
            continue
        if post.prompt_id not in latest or post.slot_at > latest[post.prompt_id]:
            latest[post.prompt_id] = post.slot_at
    return latest


def short_categories(
    pool: Sequence[Candidate], wanted: Sequence[str]
) -> tuple[tuple[str, int], ...]:
    """The filter's categories (every category in the pool without a filter), fewest first."""
    counts = Counter(c.category.lower() for c in pool)
    names = [w.lower() for w in wanted] or sorted(counts)
    ranked = sorted(names, key=lambda name: (counts.get(name, 0), name))
    return tuple((name, counts.get(name, 0)) for name in ranked[:SHORT_SHOWN])


def _slots(spec: ScheduleSpec, start: datetime, end: datetime) -> list[datetime]:
    """The slots from `start` (included) to `end`, at most MAX_SLOTS, read a chunk at a time."""
    found: list[datetime] = []
    after = start - timedelta(microseconds=1)
    while len(found) < MAX_SLOTS:
        chunk = upcoming(spec, after, min(_CHUNK, MAX_SLOTS - len(found)))
        found += [s for s in chunk if s <= end]
        if len(chunk) < _CHUNK or chunk[-1] >= end:
            break
        after = chunk[-1]
    return found


def days_left(
    spec: ScheduleSpec,
    window_days: int,
    pool: Sequence[Candidate],
    last: Mapping[int, datetime],
    start: datetime,
    categories: Sequence[str] = (),
    horizon_days: int = HORIZON_DAYS,
) -> DaysLeft:
    """Simulate the slots after `start` (the first slot may be `start` itself)."""
    window = timedelta(days=window_days)
    end = start + timedelta(days=horizon_days)
    slots = _slots(spec, start, end)
    covered = horizon_days
    if len(slots) == MAX_SLOTS:
        covered = int((slots[-1] - start) / _DAY)
    short = short_categories(pool, categories)
    heap = [(last[c.prompt_id].timestamp() if c.prompt_id in last else -math.inf, c.prompt_id)
            for c in pool]  # fmt: skip
    heapq.heapify(heap)
    for filled, slot in enumerate(slots):
        if not heap or heap[0][0] >= (slot - window).timestamp():
            days = int((slot - start) / _DAY)
            return DaysLeft(days, filled, covered, slot, short)
        heapq.heapreplace(heap, (slot.timestamp(), heap[0][1]))
    return DaysLeft(None, len(slots), covered, None, short)


async def schedule_days_left(
    posts: PostRepository, schedule: Schedule, pool: Sequence[Candidate], start: datetime
) -> DaysLeft:
    """`days_left` of one schedule from `start`, its posts read once."""
    last = last_posted(await posts.all(schedule.id))
    return days_left(
        schedule.spec, schedule.repeat_window_days, pool, last, start, schedule.categories
    )
