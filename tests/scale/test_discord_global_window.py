"""Discord's global limit counted per wall-clock second: a burst of posts through the real
discord.py client, paced at the wire by the adapter, meets no global 429; unpaced, the same
burst does, and each 429 is counted while only the first of the burst is logged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord import endpoints
from adapters.discord.platform import DiscordPlatform
from adapters.discord.request_pacing import RequestPacing, install_request_pacing
from bot.core.ports import PromptMessage
from bot.delivery.pacing import WindowLimiter
from tests.discord.fake_discord_state import APP_ID, BOT_TOKEN
from tests.scale.limited_fakes import LimitedDiscord
from tests.scale.ratelimit import DiscordLimits
from tests.scale.worlds import CHOICES, discord_places

SPEED = 5.0  # windows of 0.2 s: the fake allows 50 requests in each
CHANNELS = 40  # 40 posts of 3 requests (message, 2 reactions): 120 requests at once


@pytest.fixture
async def limited() -> AsyncIterator[LimitedDiscord]:
    fake = LimitedDiscord(DiscordLimits(speed=SPEED, fixed_window=True))
    await fake.start()
    before = endpoints.current()
    endpoints.point_at(fake.api_url, fake.gateway_url)
    try:
        yield fake
    finally:
        endpoints.point_at(*before)
        await fake.stop()
    fake.assert_contract_kept()


async def burst(fake: LimitedDiscord, limiter: WindowLimiter) -> RequestPacing:
    """Post to CHANNELS channels at once; every post must land with both reactions."""
    pacing = RequestPacing(limiter)
    client = discord.Client(intents=discord.Intents.none())
    install_request_pacing(client.http, pacing)
    platform = DiscordPlatform(client, BOT_TOKEN)
    try:
        await platform.ensure_login()
        places = discord_places(fake.world, CHANNELS // 10, 10, first=3000)
        fake.limits.reset()
        await asyncio.gather(
            *(
                platform.post(p.community, p.channel, PromptMessage(
                    "Tea?", "food", f"burst:{i}", CHOICES, open_thread=False))
                for i, p in enumerate(places)
            )
        )  # fmt: skip
    finally:
        await client.close()
    posted = [m for m in fake.world.messages.values() if m["embeds"]]
    assert len(posted) == CHANNELS
    for message in posted:
        mine = [e for e, user in fake.world.reactions[int(message["id"])] if user == APP_ID]
        assert mine == ["🍵", "☕"]
    return pacing


async def test_paced_at_the_wire_a_burst_meets_no_global_429(limited: LimitedDiscord) -> None:
    # the shipped pace (95% of 50/s, counted per window) at the fake's speed
    pacing = await burst(limited, WindowLimiter.per_second(47.5 * SPEED, window=1 / SPEED))

    assert limited.limits.stats.limited_global == 0
    assert pacing.refusals.global_total == 0
    assert pacing.limiter.granted >= 3 * CHANNELS


async def test_unpaced_the_burst_meets_global_429s_counted_and_logged_once(
    limited: LimitedDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    pacing = await burst(limited, WindowLimiter(10_000, 1.0))  # as good as no limiter

    refused = limited.limits.stats.limited_global
    assert refused > 0  # the fake's fixed window does refuse such a burst
    assert pacing.refusals.global_total == refused
    assert pacing.refusals.bursts == 1
    warnings = [r for r in caplog.records if "Discord answered 429" in r.getMessage()]
    assert len(warnings) == 1
    assert not [r for r in caplog.records if "Retrying in" in r.getMessage()]
