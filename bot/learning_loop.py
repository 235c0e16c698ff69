"""Closing the loop: once a post's response window ends, its engagement is recorded and the
policy learns from it. Outcomes live on the post rows, so every worker (and every restart)
replays the same history into its own policy."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain import Community, Post, Prompt, Schedule
from bot.learning.engagement import AUDIENCE_WINDOW, engagement
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.schedule import local_time
from bot.selection import Outcome, Policy
from bot.slots import channel_key

log = logging.getLogger(__name__)

_BULK_FROM = 200


class LearningLoop:
    """Records outcomes of closed posts and feeds every recorded outcome to the policy once."""

    def __init__(
        self, uow: UnitOfWorkFactory, policy: Policy, clock: Clock, batch_size: int = 500
    ) -> None:
        self._uow = uow
        self._policy = policy
        self._clock = clock
        self._batch_size = batch_size
        self._watermark: datetime | None = None
        # Posts already learned from: an outcome recorded again (after `privacy forget`) is
        # not counted twice; the corrected value takes over at the next restart's replay.
        self._learned: set[int] = set()
        self.observed = 0

    async def close_due(self) -> int:
        """Record the engagement of every post whose window has closed; returns how many."""
        now = self._clock.now()
        closed = 0
        async with self._uow() as u:
            cache = _Lookups(u)
            for post in await u.posts.awaiting_outcome(self._batch_size):
                schedule = await cache.schedule(post.schedule_id)
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
        async with self._uow() as u:
            posts = await u.posts.outcomes_since(self._watermark)
            cache = _Lookups(u)
            fresh = [p for p in posts if p.id not in self._learned]
            if len(fresh) > _BULK_FROM:
                await cache.preload()  # a start-up replay: read everything once
            outcomes = [await cache.outcome(p) for p in fresh]
        for outcome in outcomes:
            if outcome is not None:
                self._policy.observe(outcome)
                self.observed += 1
        self._learned.update(p.id for p in fresh)
        if posts:
            self._watermark = max(p.outcome_at for p in posts if p.outcome_at is not None)
        return len([o for o in outcomes if o is not None])

    async def tick(self) -> None:
        closed = await self.close_due()
        learned = await self.sync()
        if closed or learned:
            log.info("learning: %d post(s) closed, %d outcome(s) learned", closed, learned)


class _Lookups:
    """Schedules, communities and prompts read once per transaction."""

    def __init__(self, u: UnitOfWork) -> None:
        self._u = u
        self._schedules: dict[int, Schedule | None] = {}
        self._communities: dict[int, Community | None] = {}
        self._prompts: dict[int, Prompt | None] = {}

    async def preload(self) -> None:
        self._schedules.update({s.id: s for s in await self._u.schedules.all()})
        self._communities.update({c.id: c for c in await self._u.communities.all()})
        self._prompts.update({p.id: p for p in await self._u.prompts.all(status=None)})

    async def schedule(self, schedule_id: int) -> Schedule | None:
        if schedule_id not in self._schedules:
            self._schedules[schedule_id] = await self._u.schedules.get(schedule_id)
        return self._schedules[schedule_id]

    async def outcome(self, post: Post) -> Outcome | None:
        schedule = await self.schedule(post.schedule_id)
        if schedule is None or post.prompt_id is None or post.responders is None:
            return None
        if schedule.community_id not in self._communities:
            self._communities[schedule.community_id] = await self._u.communities.get(
                schedule.community_id
            )
        if post.prompt_id not in self._prompts:
            self._prompts[post.prompt_id] = await self._u.prompts.get(post.prompt_id)
        community, prompt = self._communities[schedule.community_id], self._prompts[post.prompt_id]
        if community is None or prompt is None:
            return None
        return Outcome(
            prompt_id=prompt.id,
            category=prompt.category,
            channel_key=channel_key(community, schedule.channel),
            responders=post.responders,
            audience=post.audience or 1,
            at=local_time(schedule.spec, post.slot_at),
        )
