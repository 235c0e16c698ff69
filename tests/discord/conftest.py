"""Fixtures for the Discord tests: a fake Discord with discord.py pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.discord import endpoints
from tests.discord.fake_discord import FakeDiscord


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    before = endpoints.current()
    endpoints.point_at(fake.api_url, fake.gateway_url)
    try:
        yield fake
    finally:
        endpoints.point_at(*before)
        await fake.stop()
    fake.assert_contract_kept()
