"""Posting use cases: post now, the due posts, recovery, and previews of the next slots."""

from __future__ import annotations

from datetime import timedelta

from bot.core.domain import Post, SlotPreview
from bot.learning.selection import PickContext, eligible
from bot.scheduling.holiday_calendars import slot_holiday
from bot.scheduling.slot_times import local_time, upcoming
from bot.scheduling.slots import channel_key
from bot.service_layer.base import NotFound, ServiceBase


class PostingUseCases(ServiceBase):
    """What gets posted when: one extra post now, the due slots, and a preview of what comes."""

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

    async def preview(self, schedule_id: int, count: int = 5) -> list[SlotPreview]:
        """The next slots (UTC and local) and the prompt each would get if picked now; a slot
        on a public holiday names it, and gets no prompt if the schedule skips holidays."""
        schedule = await self.get_schedule(schedule_id)
        start = schedule.next_slot_at or self.clock.now()
        slots = [start, *upcoming(schedule.spec, start, max(count - 1, 0))][:count]
        async with self.uow() as u:
            community = await u.communities.get(schedule.community_id)
            if community is None:
                raise NotFound(f"schedule {schedule_id} belongs to no stored community")
            prompts = await u.prompts.all(community_id=community.id)
            window = timedelta(days=schedule.repeat_window_days)
            recent = await u.posts.recent_prompt_ids(schedule.id, start - window)
        by_id = {p.id: p for p in prompts}
        previews = []
        for slot in slots:
            holiday = slot_holiday(schedule.spec, slot)
            lighter = schedule.spec.holiday_category
            if holiday and lighter is None:
                previews.append(SlotPreview(slot, local_time(schedule.spec, slot), None, holiday))
                continue
            candidates = eligible(prompts, recent, schedule.categories)
            if holiday and lighter is not None:
                candidates = eligible(prompts, recent, (lighter,)) or candidates
            prompt = None
            if candidates:
                pick = self.policy.pick(
                    candidates, PickContext(channel_key(community, schedule.channel), slot)
                )
                prompt = by_id[pick.prompt_id]
                recent.add(pick.prompt_id)
            previews.append(SlotPreview(slot, local_time(schedule.spec, slot), prompt, holiday))
        return previews

    async def post_due(self) -> int:
        return await self.deliverer.post_due()

    async def recover(self, lease: timedelta | None = None) -> int:
        return await self.deliverer.recover(lease)
