"""What every part of the Tigerbird service shares: its collaborators and the NotFound error."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.core.domain import PlatformName, Schedule
from bot.core.ports import Clock, Platform, UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer
from bot.engagement.batcher import EventBatcher
from bot.engagement.members import MemberKeys
from bot.engagement.recorder import EngagementRecorder
from bot.learning.selection import Policy


class NotFound(LookupError):
    """The schedule or prompt asked for does not exist."""


class ServiceBase:
    """The collaborators every use-case part shares; services.Tigerbird sets them."""

    uow: UnitOfWorkFactory
    platforms: Mapping[PlatformName, Platform]
    policy: Policy
    clock: Clock
    members: MemberKeys
    deliverer: Deliverer
    engagement: EngagementRecorder
    events: EventBatcher
    on_change: Callable[[], None] | None

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    async def get_schedule(self, schedule_id: int) -> Schedule:
        async with self.uow() as u:
            schedule = await u.schedules.get(schedule_id)
        if schedule is None:
            raise NotFound(f"no schedule with id {schedule_id}")
        return schedule
