"""Fixtures for the Slack adapter tests: a contract-checked fake Slack on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp.test_utils import TestServer

from adapters.slack import build
from adapters.slack.client import web_client
from adapters.slack.oauth import StaticTokens
from adapters.slack.platform import SlackPlatform
from bot.app.bootstrap import build_core
from bot.core.domain import PlatformName
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.conftest import require_postgres, truncate_all
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_stack import MONDAY_7_UTC, Stack, slack_settings


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


@asynccontextmanager
async def running_stack(fake: FakeSlack, database_url: str) -> AsyncIterator[Stack]:
    """The real core on `database_url`, the Slack adapter served over HTTP, `fake` Slack."""
    fake.add_user("UCONFIGURED")
    engine = make_engine(database_url)
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    settings = slack_settings(fake, database_url)
    clock = FrozenClock(MONDAY_7_UTC)
    core = await build_core(uow, settings, clock=clock)
    adapter = build(settings, core.service, core.commands, engine=engine)
    core.platforms[PlatformName.SLACK] = adapter.platform
    server = TestServer(adapter.web_app(), host="127.0.0.1")
    await server.start_server()
    url = str(server.make_url("/slack/events"))
    try:
        yield Stack(fake, adapter, core, clock, uow, url, engine)
    finally:
        await server.close()
        await adapter.stop()
        await engine.dispose()


@pytest.fixture
async def stack(fake_slack: FakeSlack, sqlite_url: str) -> AsyncIterator[Stack]:
    async with running_stack(fake_slack, sqlite_url) as running:
        yield running


@pytest.fixture(params=["sqlite", "postgres"])
async def sql_stack(request: pytest.FixtureRequest, fake_slack: FakeSlack) -> AsyncIterator[Stack]:
    """`stack` on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        url = require_postgres()
        engine = make_engine(url)
        await truncate_all(engine)
        await engine.dispose()
    async with running_stack(fake_slack, url) as running:
        yield running
