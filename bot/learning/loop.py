"""Closing the loop: once a post's response window ends, its engagement is recorded and the
policy learns from it. Outcomes live on the post rows, so every worker (and every restart)
replays the same history into its own policy."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Generic, TypeVar

from bot.core.domain import Community, ScheduleSpec
from bot.core.ports import Clock, RecordedOutcome, UnitOfWorkFactory
from bot.learning.metric import AUDIENCE_WINDOW, engagement
from bot.learning.selection import Outcome, Policy
from bot.learning.wordings import WordingChooser
from bot.scheduling.slot_times import local_time
from bot.scheduling.slots import channel_key

log = logging.getLogger(__name__)
T = TypeVar("T")


class LearningLoop:
    """Records outcomes of closed posts and feeds every recorded outcome to the policy once."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        policy: Policy,
        clock: Clock,
        batch_size: int = 500,
        chunk_size: int = 2000,
        wordings: WordingChooser | None = None,
    ) -> None:
        self._uow = uow
        self._policy = policy
        self._wordings = wordings
        self._clock = clock
        self._batch_size = batch_size
        self._chunk_size = chunk_size  # outcomes read at a time during a replay
        self._watermark: datetime | None = None
        self._replayed = False
        # Posts already learned from: an outcome recorded again (after `privacy forget`) is
        # not counted twice; the corrected value takes over at the next restart's replay.
        self._learned = _PostIds()
        self._specs: dict[str, ScheduleSpec] = {}
        self.observed = 0

    async def close_due(self) -> int:
        """Record the engagement of every post whose window has closed; returns how many."""
        now = self._clock.now()
        closed = 0
        async with self._uow() as u:
            schedules = _ReadOnce(u.schedules.get)
            for post in await u.posts.awaiting_outcome(self._batch_size):
                schedule = await schedules.get(post.schedule_id)
                if schedule is None:
                    continue
                start = post.posted_at or post.slot_at
                following = await u.posts.next_sent(post.schedule_id, post.slot_at)
                responses = [(m, at) for m, _, _, at in await u.responses.for_post(post.id)]
                audience = await u.activity.audience(
                    schedule.community_id, schedule.channel, start - AUDIENCE_WINDOW
                )
                next_at = (following.posted_at or following.slot_at) if following else None
                result = engagement(start, next_at, responses, set(), audience, now)
                if result is None:
                    continue
                post.responders, post.audience = result
                post.outcome_at = now
                await u.posts.update(post)
                closed += 1
            await u.commit()
        return closed

    async def sync(self) -> int:
        """Feed the policy every outcome recorded since the last sync (by any worker)."""
        learned = 0
        async with self._uow() as u:
            communities = _ReadOnce(u.communities.get)
            if not self._replayed:  # the start-up replay: read them all once
                communities.fill({c.id: c for c in await u.communities.all()})
                self._replayed = True
            outcomes = u.posts.recorded_outcomes(self._watermark, self._chunk_size)
            async for chunk in outcomes:
                for record in chunk:
                    if not self._learned.add(record.post_id):
                        continue
                    outcome = await self._outcome(record, communities)
                    if outcome is not None:
                        self._policy.observe(outcome)
                        if self._wordings is not None:
                            self._wordings.observe(
                                outcome.prompt_id, record.wording, outcome.responders,
                                outcome.audience,
                            )  # fmt: skip
                        learned += 1
                if chunk:  # in the order recorded: the last is the latest
                    self._watermark = chunk[-1].outcome_at
        self.observed += learned
        return learned

    async def _outcome(
        self, record: RecordedOutcome, communities: _ReadOnce[Community]
    ) -> Outcome | None:
        if record.prompt_id is None or record.responders is None:
            return None
        community = await communities.get(record.community_id)
        if community is None or record.category is None:
            return None
        spec = self._specs.get(record.timezone)
        if spec is None:  # only the zone matters to `local_time`
            spec = self._specs[record.timezone] = ScheduleSpec(timezone=record.timezone)
        return Outcome(
            prompt_id=record.prompt_id,
            category=record.category,
            channel_key=channel_key(community, record.channel),
            responders=record.responders,
            audience=record.audience or 1,
            at=local_time(spec, record.slot_at),
        )

    async def tick(self) -> None:
        closed = await self.close_due()
        learned = await self.sync()
        if closed or learned:
            log.info("learning: %d post(s) closed, %d outcome(s) learned", closed, learned)


class _ReadOnce(Generic[T]):
    """Rows read at most once per transaction, by id (None remembered too)."""

    def __init__(self, read: Callable[[int], Awaitable[T | None]]) -> None:
        self._read = read
        self._rows: dict[int, T | None] = {}

    def fill(self, rows: dict[int, T]) -> None:
        self._rows.update(rows)

    async def get(self, row_id: int) -> T | None:
        if row_id not in self._rows:
            self._rows[row_id] = await self._read(row_id)
        return self._rows[row_id]


class _PostIds:
    """A set of post ids as a bitmap, one bit per id up to the largest: 12.5 kB for 100,000
    posts where a set of ints takes about 7 MB."""

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, post_id: int) -> bool:
        """Add `post_id`; False if it was already there."""
        byte, bit = divmod(post_id, 8)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        mask = 1 << bit
        if self._bits[byte] & mask:
            return False
        self._bits[byte] |= mask
        return True
