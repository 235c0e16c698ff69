"""Fixtures for the Slack adapter tests: a contract-checked fake Slack on loopback."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_slack import FakeSlack
from slack_stack import MONDAY_7_UTC, Stack, slack_settings

from adapters.slack import build
from adapters.slack.client import web_client
from adapters.slack.oauth import StaticTokens
from adapters.slack.platform import SlackPlatform
from bot.bootstrap import build_core
from bot.domain import PlatformName
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock


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
async def platform(fake_slack: FakeSlack) -> AsyncIterator[SlackPlatform]:
    token = fake_slack.team("T1").bot_token
    platform = SlackPlatform(web_client(fake_slack.api_url), StaticTokens(token), ["UADMIN"])
    yield platform
    await platform.aclose()


@pytest.fixture
async def stack(fake_slack: FakeSlack, sqlite_url: str) -> AsyncIterator[Stack]:
    fake_slack.add_user("UCONFIGURED")
    engine = make_engine(sqlite_url)
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    settings = slack_settings(fake_slack, sqlite_url)
    clock = FrozenClock(MONDAY_7_UTC)
    core = await build_core(uow, settings, clock=clock)
    adapter = build(settings, core.service, core.commands)
    core.platforms[PlatformName.SLACK] = adapter.platform
    server = TestServer(adapter.web_app(), host="127.0.0.1")
    await server.start_server()
    yield Stack(fake_slack, adapter, core, clock, uow, str(server.make_url("/slack/events")))
    await server.close()
    await adapter.stop()
    await engine.dispose()
