"""Reporting use cases: the engagement history (for stats and digests) and the once-only claim
of a weekly digest."""

from __future__ import annotations

from datetime import datetime

from bot.core.history import History
from bot.learning.lift import LiftReport
from bot.service_layer.base import ServiceBase
from bot.service_layer.lift import CommunityLifts, measured_lift, measured_lifts


class ReportUseCases(ServiceBase):
    """What stats and digests read and claim; they never open the store themselves."""

    async def history(
        self, community_id: int | None = None, since: datetime | None = None
    ) -> History:
        """Every sent post with its responses, the prompts and the communities; given a
        community or an instant, only the part its reports need (`History.within`: the
        same figures, without reading every community's posts)."""
        async with self.uow() as u:
            return await u.history.load(community_id, since)

    async def lift(self, community_id: int | None = None) -> LiftReport:
        """The policy's measured lift over random in one community (or in all, if None)."""
        return await measured_lift(self.uow, community_id)

    async def lifts(self) -> CommunityLifts:
        """The overall lift and each community's, from one read."""
        return await measured_lifts(self.uow)

    async def claim_digest(self, schedule_id: int, key: str, token: str, now: datetime) -> bool:
        """Win the right to send one digest (`key` names it) and record it as sent, once
        across workers: False when another worker claimed it or the schedule is gone."""
        async with self.uow() as u:
            if await u.state.put_if_absent(key, token) != token:
                return False
            stored = await u.schedules.get(schedule_id)
            if stored is None:
                return False
            stored.last_digest_at = now
            await u.schedules.update(stored)
            await u.commit()
        return True
