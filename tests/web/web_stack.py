"""The dashboard over a real store and hand-written fakes, served by aiohttp's test server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web import Dashboard, WebConfig, build
from adapters.web.config import OAuthClient
from bot.core.authz import Person
from bot.core.domain import PlatformName
from bot.core.ports import Standings, UnitOfWorkFactory
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FrozenClock
from tests.conftest import START
from tests.helpers import make_service

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class WebStack:
    client: TestClient[web.Request, web.Application]
    dashboard: Dashboard
    service: Tigerbird

    async def sign_in(self, person: Person, communities: list[str]) -> None:
        """Sign `person` in with a one-time link (the quick way for tests)."""
        link = self.dashboard.links.issue(person, tuple(communities))
        response = await self.client.get(link, allow_redirects=False)
        assert response.status == 303, await response.text()

    async def csrf(self, path: str) -> str:
        """The CSRF token in the form of the page at `path`."""
        page = await (await self.client.get(path)).text()
        found = CSRF.search(page)
        assert found, page
        return found.group(1)


@asynccontextmanager
async def web_stack(
    store: UnitOfWorkFactory,
    standings: Mapping[PlatformName, Standings],
    *,
    slack: OAuthClient | None = None,
    discord: OAuthClient | None = None,
    global_managers: tuple[str, ...] = (),
    service: Tigerbird | None = None,
) -> AsyncIterator[WebStack]:
    service = service or make_service(store, FrozenClock(START))[0]
    config = WebConfig(public_url="", session_key=b"k" * 32, slack=slack, discord=discord)
    app = web.Application()
    dashboard = build(config, service, standings, global_managers)
    dashboard.mount(app)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    config.public_url = str(client.make_url("")).rstrip("/")  # known once bound
    try:
        yield WebStack(client, dashboard, service)
    finally:
        await client.close()
