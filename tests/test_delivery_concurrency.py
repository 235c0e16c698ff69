"""Posts in flight are bounded per platform (DeliveryConfig.platform_concurrency)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.domain import PlatformName, Target
from bot.core.ports import PromptMessage
from bot.delivery.deliverer import DeliveryConfig
from bot.testing.memory import MemoryStore
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import daily, drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class CountingPlatform(FakePlatform):
    """Records the most posts it had in flight at once."""

    in_flight: int = 0
    most: int = 0

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        for _ in range(5):
            await asyncio.sleep(0)  # let every other waiting post in, if the gate allows
        self.in_flight -= 1
        return await super().post(community, channel, message)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (DeliveryConfig(concurrency=2, platform_concurrency=()), 2),
        (DeliveryConfig(concurrency=1, platform_concurrency=((PlatformName.SLACK, 3),)), 3),
        (DeliveryConfig(concurrency=3, platform_concurrency=((PlatformName.DISCORD, 1),)), 3),
    ],
)
async def test_posts_in_flight_are_bounded_per_platform(
    config: DeliveryConfig, expected: int
) -> None:
    clock = FrozenClock(MONDAY_8)
    platform = CountingPlatform(PlatformName.SLACK, clock)
    service, _ = make_service(MemoryStore(), clock, platform, config)
    await service.sync_library(drafts(20))
    for channel in range(8):
        await daily(service, f"C{channel}")
    clock.advance(timedelta(hours=1))

    assert await service.post_due() == 8

    assert platform.most == expected
    assert len(platform.messages) == 8
