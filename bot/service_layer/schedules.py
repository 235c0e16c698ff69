"""Schedule use cases: add (with a permission preflight), change, pause, resume, skip, remove."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.domain import Community, PlatformName, Post, PostStatus, Schedule
from bot.core.ports import Missing, NewSchedule
from bot.learning.selection import eligible
from bot.scheduling.slot_times import next_slot
from bot.scheduling.slots import slot_marker
from bot.service_layer.base import NotFound, ServiceBase


class ScheduleUseCases(ServiceBase):
    """Schedules of every community; the operator's and the chat commands' entry points."""

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

    async def list_schedules(self, community_id: int | None = None) -> list[Schedule]:
        async with self.uow() as u:
            return await u.schedules.all(community_id)

    async def schedule_page(
        self, community_id: int, page: int, size: int
    ) -> tuple[list[Schedule], int, int]:
        """Page `page` (kept within 1..pages) of the community's schedules by id, `size` a
        page: the schedules, the page shown and how many schedules there are in all. Only
        that page is read."""
        async with self.uow() as u:
            total = await u.schedules.count(community_id)
            page = min(max(page, 1), max(1, -(-total // size)))
            return await u.schedules.page(community_id, (page - 1) * size, size), page, total

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

    async def earliest_next_slot(self) -> datetime | None:
        async with self.uow() as u:
            return await u.schedules.earliest_next_slot()
