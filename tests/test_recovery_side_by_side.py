"""Recovery resolves the leftovers of several communities side by side: one server's many
leftovers do not hold another's few behind them (asserted on overlap, not on time)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from bot.core.domain import PlatformName, Post, PostStatus, ScheduleSpec, Target
from bot.core.ports import NewSchedule, PlatformError, UnitOfWorkFactory
from bot.delivery.recovery import RECOVERY_CONCURRENCY, interleave_communities
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MANY = RECOVERY_CONCURRENCY + 2  # server A's leftovers: more than the gate lets in at once


@dataclass
class HeldLookups(FakePlatform):
    """find_post waits until released; `looking` lists the channels being looked up now."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    looking: list[str] = field(default_factory=list)

    async def find_post(
        self, community: str, channel: str, marker: str, since: datetime
    ) -> Target | None:
        self.looking.append(channel)
        await self.release.wait()
        return await super().find_post(community, channel, marker, since)


async def test_two_servers_leftovers_are_looked_up_side_by_side(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    platform = HeldLookups(PlatformName.SLACK, clock)
    service, _ = make_service(store, clock, platform)
    await service.sync_library(drafts(20))
    # server B's slot is a minute after server A's: in slot order it would come last
    places = [("TA", f"A{i}", time(9, 0)) for i in range(MANY)] + [("TB", "B0", time(9, 1))]
    for community, channel, at in places:
        spec = ScheduleSpec(times=(at,), timezone="UTC")
        await service.add_schedule(PlatformName.SLACK, community, NewSchedule(0, channel, spec))
    clock.advance(timedelta(hours=1, minutes=1, seconds=1))
    platform.fail_next = [PlatformError("timeout")] * len(places)  # every slot left over
    await service.post_due()
    clock.advance(timedelta(minutes=5))

    recovering = asyncio.ensure_future(service.recover(lease=timedelta(0)))
    async with asyncio.timeout(10):
        while len(platform.looking) < RECOVERY_CONCURRENCY:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    in_flight = list(platform.looking)
    platform.release.set()
    assert await recovering == len(places)

    # server B's one leftover is looked up while server A's first ones still are
    assert "B0" in in_flight and len(in_flight) == RECOVERY_CONCURRENCY
    async with store() as u:
        posts = await u.posts.all()
    assert len(posts) == len(places) and all(p.status is PostStatus.SENT for p in posts)


def test_the_order_takes_each_community_in_turn_and_keeps_each_ones_order() -> None:
    by_schedule: dict[int, list[Post]] = {s: [] for s in (1, 2, 3, 4, 5, 6)}
    community_of = {1: 10, 2: 10, 3: 10, 4: 10, 5: 20, 6: 30}
    assert list(interleave_communities(by_schedule, community_of)) == [1, 5, 6, 2, 3, 4]
