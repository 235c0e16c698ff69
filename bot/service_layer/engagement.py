"""Engagement use cases: record events (batched or together) and catch up after a restart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.core.domain import EngagementEvent, PlatformName
from bot.service_layer.rituals import RitualUseCases


class EngagementUseCases(RitualUseCases):
    """What the adapters hand engagement to; replays change nothing, removals remove."""

    async def handle_event(self, event: EngagementEvent) -> None:
        """Record one engagement event; replays change nothing, removals remove. Events
        arriving together share a transaction (bot.engagement.batcher); this returns once the
        event is committed, so acknowledging after it never loses an event to a crash."""
        await self.events.submit(event)
        await self.after_events([event])  # streak milestones, replies kept for the best answer

    async def handle_events(self, events: Sequence[EngagementEvent]) -> None:
        """Record several events in one transaction: all are stored or none is, so a caller
        that acknowledges after this returns never loses an event to a crash."""
        await self.engagement.record(events)
        await self.after_events(events)

    async def remove_bot(self, platform: PlatformName, community: str, member_id: str) -> int:
        """A member turned out to be a bot: remove what was recorded of them in the community
        (responses, activity; answered posts are measured again). Returns posts changed."""
        return await self.engagement.remove_bot(platform, community, member_id)

    async def close(self) -> None:
        """At shutdown: record every event still queued."""
        await self.events.close()

    async def catch_up_reactions(self, window: timedelta = timedelta(hours=25)) -> int:
        """After a restart: make stored reactions on still-open posts match the platform."""
        return await self.engagement.catch_up_reactions(window)

    async def catch_up_replies(self, window: timedelta = timedelta(hours=25)) -> int:
        """Store replies written to still-open posts while the bot was away."""
        return await self.engagement.catch_up_replies(window)

    def member_key_in_database(self) -> bool:
        """Whether members are pseudonymised with a key generated and kept in the database
        (TIGERBIRD_MEMBER_KEY unset): a dump of the database can then re-identify them."""
        return self.members.stored_in_database
