"""The post `claim` returns (built without reading the row back) equals the stored row."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.core.domain import PlatformName, PromptDraft, PromptSource, ScheduleSpec
from bot.core.ports import NewSchedule, UnitOfWorkFactory

SLOT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_claimed_post_equals_stored_post(store: UnitOfWorkFactory) -> None:
    spec = ScheduleSpec(times=(time(9, 0),), timezone="UTC")
    async with store() as u:
        community = await u.communities.ensure(PlatformName.SLACK, "T1")
        schedule = await u.schedules.add(NewSchedule(community.id, "C1", spec), SLOT)
        prompt = await u.prompts.add(PromptDraft("k/1", "Tea?", "food"), PromptSource.BUILTIN)
        claimed = await u.posts.claim(schedule.id, SLOT, "tb:1:1", prompt.id, 0.25, SLOT)
        await u.commit()
    async with store() as u:
        assert claimed is not None
        assert claimed == await u.posts.get(claimed.id)
