"""The exactly-once protocol: claim due slots as rows, post them, resolve leftovers.

1. Claim: one transaction locks the due schedules, inserts one post row per slot to post
   (ON CONFLICT DO NOTHING on (schedule_id, slot_at)) and advances next_slot_at.
2. Deliver: only the worker whose insert succeeded posts; the message carries the slot marker.
3. Recover: rows left `claimed` (a crash, a timeout) are looked up on the platform by marker;
   found means sent, not found means post again (if the catch-up policy still wants it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.domain import (
    Community,
    PlatformName,
    Post,
    PostStatus,
    Schedule,
    Target,
)
from bot.core.ports import (
    Clock,
    IncompletePost,
    Platform,
    PlatformError,
    UnitOfWork,
    UnitOfWorkFactory,
    WorkerLiveness,
)
from bot.delivery.claim_batch import BatchLibrary, Delivery, prompt_message
from bot.delivery.config import DeliveryConfig
from bot.delivery.holdout import pick_with_holdout
from bot.delivery.library_notice import days_left_notice
from bot.delivery.recovery import LocalLiveness, Recovery
from bot.delivery.recycle import recyclable, wants_recycling, with_recycled
from bot.delivery.wording_pick import as_worded, chosen_wording
from bot.learning.selection import PickContext, Policy, eligible
from bot.learning.wordings import FirstWording, WordingChooser
from bot.scheduling.holiday_calendars import holiday_categories, skips_on_holiday
from bot.scheduling.slot_times import next_slot
from bot.scheduling.slots import channel_key, plan_slots, slot_marker

__all__ = ["Deliverer", "Delivery", "DeliveryConfig"]

log = logging.getLogger(__name__)


class Deliverer:
    """Claims, posts and recovers slots. Any number of these may run against one database."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        platforms: Mapping[PlatformName, Platform],
        policy: Policy,
        clock: Clock,
        config: DeliveryConfig | None = None,
        liveness: WorkerLiveness | None = None,
        wordings: WordingChooser | None = None,
    ) -> None:
        self._uow = uow
        self._platforms = platforms
        self._policy = policy
        self._wordings = wordings or FirstWording()
        self._clock = clock
        self.config = config = config or DeliveryConfig()
        self._gates: dict[PlatformName, asyncio.Semaphore] = {}
        self._pending_notices: list[tuple[Community, str]] = []
        self.liveness = liveness or LocalLiveness()
        # Called once a post is sent (the member rituals that follow it); never raises.
        self.on_sent: Callable[[Post, Schedule, Community], Awaitable[None]] | None = None
        self.recovery = Recovery(
            uow, platforms, clock, config, self.liveness, self._deliver,
            lambda d, reason: self._fail(d, reason, pause=False), self._complete_found,
        )  # fmt: skip

    async def post_due(self) -> int:
        """Claim and post every due slot; returns how many posts were attempted. The next batch
        is claimed while one posts (at most two batches wait, well within the claim lease)."""
        previous: asyncio.Future[list[Post]] = asyncio.gather()  # nothing posting yet
        attempted = 0
        while True:
            deliveries, schedules_seen = await self._claim_batch()
            await self._send_pending_notices()
            posting = asyncio.gather(*(self._guarded(d) for d in deliveries))
            await previous
            previous, attempted = posting, attempted + len(deliveries)
            if schedules_seen < self.config.batch_size:
                await posting
                return attempted

    async def post_now(self, schedule_id: int, slot: datetime | None = None) -> Post | None:
        """An extra post at once, as `slot` (default: this second). None: taken, or no prompt."""
        now = self._clock.now()
        async with self._uow() as u:
            schedule = await u.schedules.get(schedule_id)
            if schedule is None:
                return None
            at = slot or now.replace(microsecond=0)
            delivery = await self._claim_slot(u, schedule, at, now, BatchLibrary(u))
            await u.commit()
        await self._send_pending_notices()
        return None if delivery is None else await self._deliver(delivery)

    async def _claim_batch(self) -> tuple[list[Delivery], int]:
        now = self._clock.now()
        deliveries: list[Delivery] = []
        async with self._uow() as u:
            due = await u.schedules.lock_due(now, self.config.batch_size)
            library = BatchLibrary(u)
            for schedule in due:
                to_post, to_skip = plan_slots(schedule, now, self.config.on_time_grace)
                holidays = [slot for slot in to_post if skips_on_holiday(schedule.spec, slot)]
                to_post = [slot for slot in to_post if slot not in holidays]
                for slot in sorted([*to_skip, *holidays]):
                    marker = slot_marker(schedule.id, slot)
                    await u.posts.claim(
                        schedule.id, slot, marker, None, None, now, PostStatus.SKIPPED
                    )
                for slot in to_post:
                    delivery = await self._claim_slot(u, schedule, slot, now, library)
                    if delivery:
                        deliveries.append(delivery)
                schedule.next_slot_at = next_slot(
                    schedule.spec, max(now, schedule.next_slot_at or now)
                )
                await u.schedules.update(schedule)
            await u.commit()
        return deliveries, len(due)

    async def _claim_slot(
        self,
        u: UnitOfWork,
        schedule: Schedule,
        slot: datetime,
        now: datetime,
        library: BatchLibrary,
    ) -> Delivery | None:
        community, prompts = await library.of(schedule.community_id)
        recent = await u.posts.recent_prompt_ids(
            schedule.id, slot - timedelta(days=schedule.repeat_window_days)
        )
        usual_pool = eligible(prompts, set(), schedule.categories)
        usual = eligible(prompts, recent, schedule.categories)
        notice = await days_left_notice(u, schedule, usual_pool, len(usual), slot)
        if notice:
            self._pending_notices.append((community, notice))
        candidates, pool = usual, usual_pool
        lighter = holiday_categories(schedule.spec, slot)
        if lighter:
            on_holiday = eligible(prompts, recent, lighter)
            if on_holiday:  # none left in the lighter categories: the usual ones
                candidates, pool = on_holiday, eligible(prompts, set(), lighter)
        health = await library.health(community.id)
        if wants_recycling(health, len(candidates)):
            posts = await u.posts.all(schedule.id)
            recycled = recyclable(posts, pool, slot, health.recycle_after_days)
            candidates = with_recycled(candidates, recycled)
        if not candidates:
            # Better an old question than silence: fall back to the whole filtered library.
            candidates = pool
        if not candidates:
            log.warning("schedule %s has no prompt to post; slot %s skipped", schedule.id, slot)
            marker = slot_marker(schedule.id, slot)
            await u.posts.claim(schedule.id, slot, marker, None, None, now, PostStatus.SKIPPED)
            return None
        marker, worker = slot_marker(schedule.id, slot), self.liveness.worker_id
        share = self.config.holdout if community.holdout is None else community.holdout
        context = PickContext(channel_key(community, schedule.channel), slot)
        pick, provenance = pick_with_holdout(self._policy, candidates, context, marker, share)
        prompt = next(p for p in prompts if p.id == pick.prompt_id)
        wording = await chosen_wording(u, self._wordings, community.id, prompt)
        provenance = replace(provenance, wording=wording)
        post = await u.posts.claim(
            schedule.id, slot, marker, pick.prompt_id, pick.probability, now, owner=worker,
            provenance=provenance,
        )  # fmt: skip
        if post is None:
            return None
        return Delivery(post, schedule, community, as_worded(prompt, wording))

    def _gate(self, platform: PlatformName) -> asyncio.Semaphore:
        if platform not in self._gates:
            self._gates[platform] = asyncio.Semaphore(self.config.concurrency_for(platform))
        return self._gates[platform]

    async def _guarded(self, d: Delivery) -> Post:
        """One row's unexpected error (a render or adapter bug) is logged and left to recovery,
        which marks the row failed if it raises again; the other rows go on."""
        try:
            return await self._deliver(d)
        except Exception as error:
            log.exception("schedule %s slot %s: posting raised", d.schedule.id, d.post.slot_at)
            return await self._retry_later(d, f"posting raised {error!r}")

    async def _deliver(self, d: Delivery) -> Post:
        async with self._gate(d.community.platform):
            if not self.liveness.alive:
                # This worker lost its proof of life: others may take the row over now.
                log.warning("not posting %s: this worker's liveness lock is lost", d.post.marker)
                return d.post
            platform = self._platforms.get(d.community.platform)
            if platform is None:
                return await self._fail(
                    d, f"{d.community.platform.value} is not connected", pause=True
                )
            try:
                missing = await platform.check_permissions(
                    d.community.external_id,
                    d.schedule.channel,
                    pin=d.schedule.pin,
                    thread=d.schedule.thread,
                    ping_role=d.schedule.ping_role,
                )
                if missing:
                    lines = "; ".join(f"{m.what} ({m.how_to_fix})" for m in missing)
                    return await self._fail(d, f"missing permissions: {lines}", pause=True)
                target = await platform.post(
                    d.community.external_id, d.schedule.channel, prompt_message(d)
                )
            except IncompletePost as error:
                return await self._part_failed(d, error)
            except PlatformError as error:
                if error.permanent:
                    return await self._fail(d, str(error), pause=True)
                return await self._retry_later(d, str(error))
            return await self._finish(platform, d, target)

    async def _finish(self, platform: Platform, d: Delivery, target: Target) -> Post:
        """The message and its reactions and thread exist: pin it when the schedule says so,
        and only then record the post as sent (a crash before leaves it for recovery)."""
        d.post.message_id, d.post.thread_id = target.message_id, target.thread_id
        if d.schedule.pin:
            try:
                await self._repin(platform, d)
            except PlatformError as error:
                refused = IncompletePost(
                    f"posted without its pin ({error})", target, ("pin",),
                    permanent=error.permanent, code=error.code,
                )  # fmt: skip
                return await self._part_failed(d, refused)
        d.post.status = PostStatus.SENT
        d.post.posted_at = d.post.posted_at or self._clock.now()
        d.post.error = None
        async with self._uow() as u:
            await u.posts.update(d.post)
            await u.commit()
        if self.on_sent is not None:
            await self.on_sent(d.post, d.schedule, d.community)
        return d.post

    async def _complete_found(self, platform: Platform, d: Delivery, target: Target) -> Post:
        """Recovery found the message (by marker, or recorded when a part failed): add what
        it lacks, then finish it."""
        try:
            done = await platform.complete_post(d.community.external_id, target, prompt_message(d))
        except IncompletePost as error:
            return await self._part_failed(d, error)
        except PlatformError as error:
            missing = IncompletePost(str(error), target, ("its parts",), code=error.code)
            return await self._part_failed(d, missing)
        return await self._finish(platform, d, done)

    async def _part_failed(self, d: Delivery, error: IncompletePost) -> Post:
        """The message is there, a part is not: retried within the lease (the row stays
        claimed, its message recorded) unless it cannot be done or the attempts are spent;
        then the post is recorded as sent without it and the managers are told, once."""
        d.post.message_id, d.post.thread_id = error.target.message_id, error.target.thread_id
        d.post.posted_at = d.post.posted_at or self._clock.now()
        if not error.permanent and d.post.attempts < self.config.max_attempts:
            return await self._retry_later(d, str(error))
        d.post.status = PostStatus.SENT
        d.post.error = str(error)
        async with self._uow() as u:
            await u.posts.update(d.post)
            await u.commit()
        parts = ", ".join(error.missing)
        log.warning("schedule %s slot %s sent without %s", d.schedule.id, d.post.slot_at, parts)
        await self._notify(
            d.community,
            f"Tigerbird posted today's prompt in #{d.schedule.channel} without {parts}: "
            f"{error}. Check Tigerbird's permissions there (Add Reactions, Create Public "
            "Threads, Pin Messages).",
        )
        return d.post

    async def _repin(self, platform: Platform, d: Delivery) -> None:
        async with self._uow() as u:  # only pinned schedules look up the post before
            previous = await u.posts.latest_sent(d.schedule.id, d.post.slot_at)
        await platform.pin(
            d.community.external_id, Target(d.schedule.channel, d.post.message_id or "")
        )
        if previous and previous.message_id:
            await platform.unpin(
                d.community.external_id, Target(d.schedule.channel, previous.message_id)
            )

    async def _fail(self, d: Delivery, reason: str, *, pause: bool) -> Post:
        d.post.status = PostStatus.FAILED
        d.post.error = reason
        async with self._uow() as u:
            await u.posts.update(d.post)
            schedule = await u.schedules.get(d.schedule.id)
            newly_paused = schedule is not None and pause and not schedule.paused
            if schedule is not None and newly_paused:
                schedule.paused = True
                schedule.pause_reason = reason
                await u.schedules.update(schedule)
            await u.commit()
        log.warning("schedule %s slot %s failed: %s", d.schedule.id, d.post.slot_at, reason)
        if newly_paused:
            await self._notify(
                d.community,
                f"Tigerbird paused the schedule for #{d.schedule.channel}: {reason}. "
                "Fix it, then resume with `/tigerbird resume`.",
            )
        return d.post

    async def _retry_later(self, d: Delivery, reason: str) -> Post:
        """Leave the row claimed: recovery looks for the message by marker, then posts again."""
        d.post.error = reason
        async with self._uow() as u:
            await u.posts.update(d.post)
            await u.commit()
        self.recovery.retry_at(d.post.id, self._clock.now() + self.config.retry_delay)
        log.warning(
            "schedule %s slot %s will be retried: %s", d.schedule.id, d.post.slot_at, reason
        )
        return d.post

    async def _send_pending_notices(self) -> None:
        pending, self._pending_notices = self._pending_notices, []
        for community, text in pending:
            await self._notify(community, text)

    async def _notify(self, community: Community, text: str) -> None:
        platform = self._platforms.get(community.platform)
        if platform is None:
            return
        try:
            await platform.notify_managers(community.external_id, text)
        except PlatformError as error:
            log.warning("could not notify managers of %s: %s", community.external_id, error)

    async def recover(self, lease: timedelta | None = None) -> int:
        """Resolve rows left `claimed` whose lease ran out or whose owner is dead
        (bot.delivery.recovery); returns how many were resolved."""
        return await self.recovery.recover(lease)
