"""Building a core over a given store with fakes, for service-level tests."""

from __future__ import annotations

import asyncio
from datetime import time

import numpy as np
from aiohttp import web

from bot.core.domain import CatchUp, Choice, PlatformName, PromptDraft, Schedule, ScheduleSpec
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer, DeliveryConfig
from bot.engagement.members import MemberKeys
from bot.learning.selection import UniformPolicy
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FakePlatform, FrozenClock


def drafts(count: int, category: str = "small-joys") -> list[PromptDraft]:
    return [
        PromptDraft(
            f"test/{i}",
            f"What small thing made you smile, number {i}?",
            category,
            choices=(Choice("🐯", "tiger"),) if i % 2 else (),
        )
        for i in range(count)
    ]


def make_service(
    store: UnitOfWorkFactory,
    clock: FrozenClock,
    platform: FakePlatform | None = None,
    config: DeliveryConfig | None = None,
    seed: int = 1,
) -> tuple[Tigerbird, FakePlatform]:
    platform = platform or FakePlatform(PlatformName.SLACK, clock)
    platforms = {platform.name: platform}
    policy = UniformPolicy(np.random.default_rng(seed))
    deliverer = Deliverer(store, platforms, policy, clock, config or DeliveryConfig())
    service = Tigerbird(store, platforms, policy, clock, MemberKeys(b"k"), deliverer)
    return service, platform


async def daily(
    service: Tigerbird,
    channel: str = "C1",
    catch_up: CatchUp = CatchUp.LATEST,
    tz: str = "UTC",
    at: time = time(9, 0),
) -> Schedule:
    spec = ScheduleSpec(times=(at,), timezone=tz)
    schedule, missing = await service.add_schedule(
        PlatformName.SLACK, "T1", NewSchedule(0, channel, spec, catch_up=catch_up)
    )
    assert not missing
    return schedule


def bound_port(site: web.TCPSite) -> int:
    """The port the OS gave a started site that asked for port 0."""
    server = site._server
    assert isinstance(server, asyncio.Server), "the site is not started"
    port: int = server.sockets[0].getsockname()[1]
    return port
