"""The best time to post in a schedule's channel, from its hourly activity and response rate."""

from __future__ import annotations

from bot.scheduling.best_time import WINDOW, BestTime, best_time
from bot.service_layer.base import ServiceBase


class BestTimeUseCases(ServiceBase):
    async def best_time(self, schedule_id: int) -> BestTime | None:
        """The local hour with the most active members vs the schedule's current slot; None
        while the channel has under a week of recorded activity."""
        schedule = await self.get_schedule(schedule_id)
        now = self.clock.now()
        since = now - WINDOW
        async with self.uow() as u:
            hourly = await u.activity.hourly(schedule.community_id, schedule.channel, since)
            posts = await u.posts.all(schedule.id)
        measured = [
            p for p in posts if p.audience and p.responders is not None and p.slot_at >= since
        ]
        audience = sum(p.audience or 0 for p in measured)
        rate = sum(p.responders or 0 for p in measured) / audience if audience else None
        return best_time(hourly, schedule.spec, now, rate)
