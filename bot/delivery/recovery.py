"""Step 3 of the exactly-once protocol: resolve rows left `claimed` (a crash, a timeout).

A row is taken over when its lease ran out, when its owner is provably dead (WorkerLiveness:
on PostgreSQL its session advisory lock is free), or when it is this worker's own transient
failure. Each row is looked up on the platform by marker first: found means sent (and its
reactions and replies are read back), not found means post again if the catch-up policy still
wants it. One row that raises is logged and marked failed; the others go on.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.domain import CatchUp, Community, PlatformName, Post, PostStatus, Schedule, Target
from bot.core.ports import Clock, Platform, PlatformError, UnitOfWorkFactory, WorkerLiveness
from bot.delivery.claim_batch import Delivery
from bot.delivery.config import DeliveryConfig
from bot.delivery.wording_pick import as_worded

log = logging.getLogger(__name__)
RECOVERY_CONCURRENCY = 10  # rows resolved at once: well within the database pool
# Reads back what members did on a post that recovery found (reactions, replies).
CatchUpPost = Callable[[Post, Schedule, Community], Awaitable[int]]


def interleave_communities(
    by_schedule: dict[int, list[Post]], community_of: Mapping[int, int]
) -> dict[int, list[Post]]:
    """The schedules taken in turn from each community (workspace, server), so that the
    shared gate serves every community from the start instead of one community's many
    leftovers before another's few; each community's schedules keep their order."""
    queues: dict[int, list[int]] = {}
    for schedule_id in by_schedule:
        queues.setdefault(community_of.get(schedule_id, 0), []).append(schedule_id)
    ordered: dict[int, list[Post]] = {}
    for turn in range(max((len(q) for q in queues.values()), default=0)):
        for queue in queues.values():
            if turn < len(queue):
                ordered[queue[turn]] = by_schedule[queue[turn]]
    return ordered


class LocalLiveness:
    """WorkerLiveness for a single process (SQLite, memory): no other worker is ever provably
    dead while running; the previous process's claims are taken over at start-up instead."""

    def __init__(self, worker_id: str | None = None) -> None:
        self.worker_id = worker_id or secrets.token_hex(8)

    @property
    def alive(self) -> bool:
        return True

    async def dead(self, workers: Collection[str]) -> set[str]:
        return set()


@dataclass
class Recovery:
    """Resolves stale claims for one Deliverer (which it calls back to post or fail a row)."""

    uow: UnitOfWorkFactory
    platforms: Mapping[PlatformName, Platform]
    clock: Clock
    config: DeliveryConfig
    liveness: WorkerLiveness
    deliver: Callable[[Delivery], Awaitable[Post]]
    fail: Callable[[Delivery, str], Awaitable[Post]]
    # Adds a found message's missing parts (reactions, thread, pin), then records it sent.
    complete: Callable[[Platform, Delivery, Target], Awaitable[Post]]
    catch_up: CatchUpPost | None = None

    def __post_init__(self) -> None:
        self._own_retries: dict[int, datetime] = {}

    def retry_at(self, post_id: int, at: datetime) -> None:
        """This worker's own transient failure: retried at `at`, without waiting for the lease."""
        self._own_retries[post_id] = at

    async def recover(self, lease: timedelta | None = None) -> int:
        """Resolve rows left `claimed` whose lease ran out or whose owner is dead; returns how
        many were resolved."""
        now = self.clock.now()
        me = self.liveness.worker_id
        due_retries = [p for p, at in self._own_retries.items() if at <= now]
        async with self.uow() as u:
            owners = await u.posts.claim_owners()
        dead = await self.liveness.dead(owners - {me}) if owners - {me} else set()
        if dead:
            log.info("taking over the claims of %d dead worker(s)", len(dead))
        async with self.uow() as u:
            stale = await u.posts.stale_claims(
                now - (self.config.claim_lease if lease is None else lease), dead
            )
            for post_id in due_retries:
                del self._own_retries[post_id]
                post = await u.posts.get(post_id)
                taken = any(s.id == post_id for s in stale)
                mine = post is not None and post.claimed_by in (me, None)
                if post and mine and post.status is PostStatus.CLAIMED and not taken:
                    stale.append(post)
            # Schedules are resolved side by side (each platform's own gate and pacer still
            # apply), so a restart after a big fan-out does not post the last slot long after
            # the first; one schedule's rows in slot order, as catch-up and pinning expect.
            by_schedule: dict[int, list[Post]] = {}
            for post in stale:
                by_schedule.setdefault(post.schedule_id, []).append(post)
            community_of: dict[int, int] = {}
            for schedule_id in by_schedule:
                schedule = await u.schedules.get(schedule_id)
                community_of[schedule_id] = schedule.community_id if schedule else 0
        by_schedule = interleave_communities(by_schedule, community_of)
        gate = asyncio.Semaphore(RECOVERY_CONCURRENCY)

        async def schedule_rows(posts: list[Post]) -> list[tuple[Delivery | None, bool]]:
            return [await self._recover_one(p, now, gate) for p in posts]

        groups = await asyncio.gather(*(schedule_rows(p) for p in by_schedule.values()))
        outcomes = [outcome for group in groups for outcome in group]
        await self._catch_up([d for d, found in outcomes if d is not None and found])
        return sum(d is not None for d, _ in outcomes)

    async def _recover_one(
        self, post: Post, now: datetime, gate: asyncio.Semaphore
    ) -> tuple[Delivery | None, bool]:
        """Take the row over and resolve it: (the delivery if taken, whether it was found)."""
        async with gate:
            try:
                delivery = await self._take_over(post, now)
            except Exception:
                log.exception("could not take over post %s; retried later", post.id)
                return None, False
            if delivery is None:
                return None, False
            try:
                return delivery, await self._resolve(delivery, now)
            except Exception as error:
                log.exception("recovering post %s (%s) raised", post.id, post.marker)
                await self._give_up(delivery, f"recovery raised {error!r}")
                return delivery, False

    async def _give_up(self, d: Delivery, reason: str) -> None:
        try:
            await self.fail(d, reason)
        except Exception:
            log.exception("could not mark post %s failed", d.post.id)

    async def _catch_up(self, found: list[Delivery]) -> None:
        """Members may have reacted or replied to a found post while it was not recorded
        (their events found no post): read them back, once every row is resolved."""
        if self.catch_up is None:
            return
        for d in found:
            try:
                await self.catch_up(d.post, d.schedule, d.community)
            except Exception:
                log.exception("could not catch up with responses to %s", d.post.marker)

    async def _take_over(self, post: Post, now: datetime) -> Delivery | None:
        if post.claimed_at is None:  # not claimed: there is no claim to take over
            return None
        async with self.uow() as u:
            if not await u.posts.take_over(post.id, post.claimed_at, now, self.liveness.worker_id):
                return None
            schedule = await u.schedules.get(post.schedule_id)
            community = await u.communities.get(schedule.community_id) if schedule else None
            prompt = await u.prompts.get(post.prompt_id) if post.prompt_id else None
            await u.commit()
        if schedule is None or community is None or prompt is None:
            return None
        post.attempts += 1
        post.claimed_by = self.liveness.worker_id
        return Delivery(post, schedule, community, as_worded(prompt, post.wording))

    async def _resolve(self, d: Delivery, now: datetime) -> bool:
        """Returns True when the post was found on the platform (and recorded as sent)."""
        platform = self.platforms.get(d.community.platform)
        if platform is None:
            return False
        found: Target | None = None
        if d.post.message_id:  # posted, but a part was missing: no need to look for it
            found = Target(d.schedule.channel, d.post.message_id, d.post.thread_id)
        else:
            try:
                found = await platform.find_post(
                    d.community.external_id,
                    d.schedule.channel,
                    d.post.marker,
                    since=d.post.slot_at - timedelta(minutes=1),
                )
            except PlatformError as error:
                log.warning("could not look up %s: %s", d.post.marker, error)
                return False
        if found is not None:
            # its reactions, thread and pin may be missing (a crash, a failed part)
            await self.complete(platform, d, found)
            return True
        if d.post.attempts > self.config.max_attempts:
            await self.fail(d, f"gave up after {d.post.attempts} attempts: {d.post.error}")
        elif await self._still_wanted(d, now):
            await self.deliver(d)
        else:
            d.post.status = PostStatus.SKIPPED
            async with self.uow() as u:
                await u.posts.update(d.post)
                await u.commit()
        return False

    async def _still_wanted(self, d: Delivery, now: datetime) -> bool:
        if now - d.post.slot_at <= self.config.on_time_grace:
            return True
        if d.schedule.catch_up is CatchUp.SKIP:
            return False
        if d.schedule.catch_up is CatchUp.LATEST:
            async with self.uow() as u:
                later = [
                    p
                    for p in await u.posts.all(d.schedule.id)
                    if p.slot_at > d.post.slot_at
                    and p.status in (PostStatus.SENT, PostStatus.CLAIMED)
                ]
            return not later
        return True
