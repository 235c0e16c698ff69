"""Library-health use cases: each schedule's days left, and the community's recycling and
anonymous-suggestion settings."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.domain import Prompt, Schedule
from bot.core.library_health import (
    LibraryHealthSettings,
    load_health_settings,
    save_health_settings,
)
from bot.learning.days_left import DaysLeft, schedule_days_left
from bot.learning.selection import eligible
from bot.service_layer.base import ServiceBase
from bot.service_layer.suggestion_edits import SuggestionEdits


class LibraryHealthUseCases(ServiceBase):
    """How long each channel's library lasts, and the settings that stretch it."""

    async def days_left(self, schedule_id: int) -> DaysLeft:
        """How many days the schedule can post from now before its library runs out."""
        schedule = await self.get_schedule(schedule_id)
        return (await self.days_left_of([schedule]))[schedule.id]

    async def days_left_of(self, schedules: Sequence[Schedule]) -> dict[int, DaysLeft]:
        """Days left of each schedule (by id), reading each community's library once."""
        now = self.clock.now()
        found: dict[int, DaysLeft] = {}
        async with self.uow() as u:
            libraries: dict[int, list[Prompt]] = {}
            for schedule in schedules:
                if schedule.community_id not in libraries:
                    libraries[schedule.community_id] = await u.prompts.all(
                        community_id=schedule.community_id
                    )
                pool = eligible(libraries[schedule.community_id], set(), schedule.categories)
                start = max(now, schedule.next_slot_at or now)
                found[schedule.id] = await schedule_days_left(u.posts, schedule, pool, start)
        return found

    async def health_settings(self, community_id: int) -> LibraryHealthSettings:
        async with self.uow() as u:
            return await load_health_settings(u.state, community_id)

    async def update_health_settings(
        self, community_id: int, settings: LibraryHealthSettings
    ) -> None:
        async with self.uow() as u:
            await save_health_settings(u.state, community_id, settings)
            await u.commit()

    def suggestion_edits(self) -> SuggestionEdits:
        """Edits of waiting suggestions (their suggester's, or a manager's before deciding)."""
        return SuggestionEdits(self.uow)
