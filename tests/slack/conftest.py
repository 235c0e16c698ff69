"""Fixtures for the Slack adapter tests: a contract-checked fake Slack on loopback."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_slack import FakeSlack

from adapters.slack.client import web_client
from adapters.slack.oauth import StaticTokens
from adapters.slack.platform import SlackPlatform


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A running fake Slack with workspace T1, its bot, a manager and #general (bot inside)."""
    fake = FakeSlack()
    await fake.start()
    team = fake.add_team("T1")
    fake.add_user("UADMIN", is_admin=True)
    fake.add_user("UMEMBER")
    fake.add_channel("CGENERAL", name="general", members={team.bot_user_id, "UMEMBER"})
    yield fake
    await fake.stop()
    assert fake.violations == [], "requests the real Slack would reject"


@pytest.fixture
def platform(fake_slack: FakeSlack) -> SlackPlatform:
    token = fake_slack.team("T1").bot_token
    return SlackPlatform(web_client(fake_slack.api_url), StaticTokens(token), ["UADMIN"])
