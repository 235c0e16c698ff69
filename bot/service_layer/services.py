"""Tigerbird's use cases: schedules, prompts, engagement, previews.

Adapters, the CLI and the scheduler call these; they never touch storage directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.core.domain import (
    Community,
    EngagementEvent,
    PlatformName,
    Post,
    PostStatus,
    Prompt,
    PromptDraft,
    PromptSource,
    PromptStatus,
    Schedule,
    SlotPreview,
)
from bot.core.ports import (
    Clock,
    Missing,
    NewSchedule,
    Platform,
    UnitOfWorkFactory,
)
from bot.delivery.deliverer import Deliverer
from bot.engagement.batcher import EventBatcher
from bot.engagement.members import MemberKeys
from bot.engagement.recorder import EngagementRecorder
from bot.learning.selection import PickContext, Policy, eligible
from bot.scheduling.slot_times import local_time, next_slot, upcoming
from bot.scheduling.slots import channel_key, slot_marker

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """The schedule or prompt asked for does not exist."""


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0


class Tigerbird:
    """The application service. One instance per process, built by bot.app.bootstrap."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        platforms: Mapping[PlatformName, Platform],
        policy: Policy,
        clock: Clock,
        members: MemberKeys,
        deliverer: Deliverer,
    ) -> None:
        self.uow = uow
        self.platforms = platforms
        self.policy = policy
        self.clock = clock
        self.members = members
        self.deliverer = deliverer
        self.on_change: Callable[[], None] | None = None
        self.engagement = EngagementRecorder(uow, platforms, members, clock)
        deliverer.recovery.catch_up = self.engagement.catch_up_post  # a found post's responses
        self.events = EventBatcher(lambda batch: self.engagement.record(batch))

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    # --- schedules ------------------------------------------------------------------------

    async def add_schedule(
        self, platform: PlatformName, community: str, new: NewSchedule, community_name: str = ""
    ) -> tuple[Schedule, list[Missing]]:
        """Create a schedule; if the bot lacks permissions there, it starts paused, saying why."""
        async with self.uow() as u:
            found = await u.communities.ensure(platform, community, community_name)
            schedule = await u.schedules.add(
                replace(new, community_id=found.id), next_slot(new.spec, self.clock.now())
            )
            await u.commit()
        self._changed()
        missing = await self._preflight(found, schedule)
        if missing:
            reason = "; ".join(f"{m.what} ({m.how_to_fix})" for m in missing)
            schedule = await self.pause(schedule.id, f"missing permissions: {reason}")
        return schedule, missing

    async def _preflight(self, community: Community, schedule: Schedule) -> list[Missing]:
        platform = self.platforms.get(community.platform)
        if platform is None:
            return []
        return await platform.check_permissions(
            community.external_id,
            schedule.channel,
            pin=schedule.pin,
            thread=schedule.thread,
            ping_role=schedule.ping_role,
        )

    async def get_schedule(self, schedule_id: int) -> Schedule:
        async with self.uow() as u:
            schedule = await u.schedules.get(schedule_id)
        if schedule is None:
            raise NotFound(f"no schedule with id {schedule_id}")
        return schedule

    async def list_schedules(self, community_id: int | None = None) -> list[Schedule]:
        async with self.uow() as u:
            return await u.schedules.all(community_id)

    async def schedules_in_channel(
        self, platform: PlatformName, community: str, channel: str
    ) -> list[Schedule]:
        async with self.uow() as u:
            found = await u.communities.find(platform, community)
            return [] if found is None else await u.schedules.for_channel(found.id, channel)

    async def update_schedule(self, schedule: Schedule) -> Schedule:
        """Store changed settings; a changed rhythm re-arms the next slot from now."""
        async with self.uow() as u:
            stored = await u.schedules.get(schedule.id)
            if stored is None:
                raise NotFound(f"no schedule with id {schedule.id}")
            if stored.spec != schedule.spec:
                schedule.next_slot_at = next_slot(schedule.spec, self.clock.now())
            await u.schedules.update(schedule)
            await u.commit()
        self._changed()
        return schedule

    async def pause(self, schedule_id: int, reason: str | None = None) -> Schedule:
        schedule = await self.get_schedule(schedule_id)
        schedule.paused, schedule.pause_reason = True, reason or "paused by a manager"
        return await self.update_schedule(schedule)

    async def resume(self, schedule_id: int) -> Schedule:
        """Unpause; slots missed while paused are not posted (the next slot is from now), and
        slots skipped ahead stay skipped (the next slot is never before a skip moved it)."""
        schedule = await self.get_schedule(schedule_id)
        schedule.paused, schedule.pause_reason = False, None
        first = next_slot(schedule.spec, self.clock.now())
        skipped_to = schedule.next_slot_at
        schedule.next_slot_at = max(first, skipped_to) if first and skipped_to else first
        return await self.update_schedule(schedule)

    async def skip_next(self, schedule_id: int) -> Schedule:
        """Skip the coming slot: it is recorded as skipped and the one after it is next."""
        async with self.uow() as u:
            schedule = await u.schedules.get(schedule_id)
            if schedule is None:
                raise NotFound(f"no schedule with id {schedule_id}")
            now = self.clock.now()
            if schedule.paused and (schedule.next_slot_at or now) <= now:
                # paused a while: the slot it stopped at is past, skip the coming one
                schedule.next_slot_at = next_slot(schedule.spec, now)
            if schedule.next_slot_at is not None:
                slot = schedule.next_slot_at
                await u.posts.claim(
                    schedule.id,
                    slot,
                    slot_marker(schedule.id, slot),
                    None,
                    None,
                    now,
                    PostStatus.SKIPPED,
                )
                schedule.next_slot_at = next_slot(schedule.spec, slot)
                await u.schedules.update(schedule)
            await u.commit()
        return schedule

    async def remove_schedule(self, schedule_id: int) -> None:
        await self.get_schedule(schedule_id)
        async with self.uow() as u:
            await u.schedules.remove(schedule_id)
            await u.commit()

    async def post_now(self, schedule_id: int) -> Post | None:
        """Post one extra prompt at once, through a slot row and marker like any other. It takes
        the first second from now that holds no slot of this schedule, so a second `now` within
        the same second posts too. None: no prompt is left to post."""
        schedule = await self.get_schedule(schedule_id)
        for _ in range(5):  # another `now` may take the same free second: try the next one
            async with self.uow() as u:
                taken = {p.slot_at for p in await u.posts.all(schedule_id)}
            slot = self.clock.now().replace(microsecond=0)
            while slot in taken or slot == schedule.next_slot_at:
                slot += timedelta(seconds=1)
            post = await self.deliverer.post_now(schedule_id, slot)
            if post is not None:
                return post
            async with self.uow() as u:
                lost_to = {p.slot_at: p for p in await u.posts.all(schedule_id)}.get(slot)
            if lost_to is None or lost_to.prompt_id is None:
                return None  # the schedule is gone, or nothing is left to post
        return None

    async def eligible_count(self, schedule_id: int) -> int:
        """Prompts this schedule could post today without breaking its no-repeat window."""
        schedule = await self.get_schedule(schedule_id)
        async with self.uow() as u:
            prompts = await u.prompts.all(community_id=schedule.community_id)
            since = self.clock.now() - timedelta(days=schedule.repeat_window_days)
            recent = await u.posts.recent_prompt_ids(schedule.id, since)
        return len(eligible(prompts, recent, schedule.categories))

    async def posts_of(self, schedule_id: int) -> list[Post]:
        async with self.uow() as u:
            return await u.posts.all(schedule_id)

    async def preview(self, schedule_id: int, count: int = 5) -> list[SlotPreview]:
        """The next slots (UTC and local) and the prompt each would get if picked now."""
        schedule = await self.get_schedule(schedule_id)
        start = schedule.next_slot_at or self.clock.now()
        slots = [start, *upcoming(schedule.spec, start, max(count - 1, 0))][:count]
        async with self.uow() as u:
            community = await u.communities.get(schedule.community_id)
            assert community is not None
            prompts = await u.prompts.all(community_id=community.id)
            window = timedelta(days=schedule.repeat_window_days)
            recent = await u.posts.recent_prompt_ids(schedule.id, start - window)
        by_id = {p.id: p for p in prompts}
        previews = []
        for slot in slots:
            candidates = eligible(prompts, recent, schedule.categories)
            prompt = None
            if candidates:
                pick = self.policy.pick(
                    candidates, PickContext(channel_key(community, schedule.channel), slot)
                )
                prompt = by_id[pick.prompt_id]
                recent.add(pick.prompt_id)
            previews.append(SlotPreview(slot, local_time(schedule.spec, slot), prompt))
        return previews

    # --- prompts --------------------------------------------------------------------------

    async def sync_library(self, drafts: Sequence[PromptDraft]) -> SyncReport:
        """Make the built-in prompts match the packs: add new, update edited, retire removed."""
        wanted = {d.key: d for d in drafts}
        added = updated = retired = unchanged = 0
        async with self.uow() as u:
            stored = {p.key: p for p in await u.prompts.all(status=None, include_global=True)}
            for key, draft in wanted.items():
                prompt = stored.get(key)
                if prompt is None:
                    await u.prompts.add(draft, PromptSource.BUILTIN)
                    added += 1
                    continue
                fresh = replace(
                    prompt,
                    text=draft.text,
                    category=draft.category,
                    tags=draft.tags,
                    choices=draft.choices,
                    pack=draft.pack,
                    status=PromptStatus.ACTIVE,
                )
                if fresh != prompt:
                    await u.prompts.update(fresh)
                    updated += 1
                else:
                    unchanged += 1
            for key, prompt in stored.items():
                gone = key not in wanted and prompt.source is PromptSource.BUILTIN
                if gone and prompt.status is PromptStatus.ACTIVE:
                    await u.prompts.update(replace(prompt, status=PromptStatus.RETIRED))
                    retired += 1
            await u.commit()
        return SyncReport(added, updated, retired, unchanged)

    async def add_prompts(
        self,
        drafts: Sequence[PromptDraft],
        source: PromptSource = PromptSource.CUSTOM,
        community_id: int | None = None,
        status: PromptStatus = PromptStatus.ACTIVE,
        suggested_by: str | None = None,
    ) -> list[Prompt]:
        """Store new prompts; a draft whose key exists already is left as it is."""
        added = []
        async with self.uow() as u:
            for draft in drafts:
                if await u.prompts.by_key(draft.key) is None:
                    added.append(
                        await u.prompts.add(draft, source, status, community_id, suggested_by)
                    )
            await u.commit()
        return added

    async def get_prompt(self, prompt_id: int) -> Prompt:
        """Any community's prompt (the operator's view); chat, buttons and any web door load
        prompts through bot.core.authz.Access, within the caller's community."""
        async with self.uow() as u:
            prompt = await u.prompts.get(prompt_id)
        if prompt is None:
            raise NotFound(f"no prompt with id {prompt_id}")
        return prompt

    async def set_prompt_status(self, prompt_id: int, status: PromptStatus) -> Prompt:
        """The operator's change, unscoped; a community reviews through Access.decide."""
        async with self.uow() as u:
            prompt = await u.prompts.get(prompt_id)
            if prompt is None:
                raise NotFound(f"no prompt with id {prompt_id}")
            prompt.status = status
            await u.prompts.update(prompt)
            await u.commit()
        return prompt

    async def list_prompts(
        self, status: PromptStatus | None = PromptStatus.ACTIVE, community_id: int | None = None
    ) -> list[Prompt]:
        """A community's prompts plus the global ones; without a community, every prompt."""
        async with self.uow() as u:
            return await u.prompts.all(
                status, community_id, include_global=community_id is not None
            )

    async def community(self, platform: PlatformName, external_id: str) -> Community | None:
        async with self.uow() as u:
            return await u.communities.find(platform, external_id)

    async def ensure_community(
        self, platform: PlatformName, external_id: str, name: str = ""
    ) -> Community:
        async with self.uow() as u:
            community = await u.communities.ensure(platform, external_id, name)
            await u.commit()
        return community

    async def update_community(self, community: Community) -> None:
        async with self.uow() as u:
            await u.communities.update(community)
            await u.commit()

    # --- engagement -----------------------------------------------------------------------

    async def handle_event(self, event: EngagementEvent) -> None:
        """Record one engagement event; replays change nothing, removals remove. Events
        arriving together share a transaction (bot.engagement.batcher); this returns once the
        event is committed, so acknowledging after it never loses an event to a crash."""
        await self.events.submit(event)

    async def handle_events(self, events: Sequence[EngagementEvent]) -> None:
        """Record several events in one transaction: all are stored or none is, so a caller
        that acknowledges after this returns never loses an event to a crash."""
        await self.engagement.record(events)

    async def close(self) -> None:
        """At shutdown: record every event still queued."""
        await self.events.close()

    async def catch_up_reactions(self, window: timedelta = timedelta(hours=25)) -> int:
        """After a restart: make stored reactions on still-open posts match the platform."""
        return await self.engagement.catch_up_reactions(window)

    async def catch_up_replies(self, window: timedelta = timedelta(hours=25)) -> int:
        """Store replies written to still-open posts while the bot was away."""
        return await self.engagement.catch_up_replies(window)

    # --- the scheduler's entry points -----------------------------------------------------

    async def post_due(self) -> int:
        return await self.deliverer.post_due()

    async def recover(self, lease: timedelta | None = None) -> int:
        return await self.deliverer.recover(lease)

    async def earliest_next_slot(self) -> datetime | None:
        async with self.uow() as u:
            return await u.schedules.earliest_next_slot()
