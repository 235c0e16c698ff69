"""The process's one HTTP server: the managers' dashboard under `/` and Slack's /slack/*
endpoints (HTTP mode), on TIGERBIRD_HTTP_PORT."""

from __future__ import annotations

import errno
import hashlib
import logging
import secrets
import socket
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from adapters.console.translate import COMMUNITY, MEMBER
from adapters.web import Dashboard, WebConfig
from adapters.web import build as build_dashboard
from adapters.web.config import OAuthClient
from bot.app.settings import Settings
from bot.app.startup_errors import StartupError, failure_reason
from bot.core.authz import Person
from bot.core.domain import PlatformName
from bot.core.ports import Standings, UnitOfWorkFactory
from bot.service_layer.services import Tigerbird

log = logging.getLogger("tigerbird")
SESSION_SECRET_STATE = "dashboard_session_secret"


async def session_key(uow: UnitOfWorkFactory, settings: Settings) -> bytes:
    """32 bytes for the session cookie's encryption: from TIGERBIRD_SESSION_SECRET, or
    generated once and kept in the database (like the member key), so every worker and every
    restart reads the same cookies."""
    configured = settings.tigerbird_session_secret
    if configured is not None:
        return hashlib.sha256(configured.get_secret_value().encode()).digest()
    async with uow() as u:
        stored = await u.state.put_if_absent(SESSION_SECRET_STATE, secrets.token_hex(32))
        await u.commit()
    return bytes.fromhex(stored)


def web_config(settings: Settings, key: bytes) -> WebConfig:
    """The dashboard's settings; each sign-in button needs its platform's OAuth client."""
    slack = discord = None
    if settings.slack_client_id and settings.slack_client_secret:
        slack = OAuthClient(
            settings.slack_client_id,
            settings.slack_client_secret.get_secret_value(),
            settings.slack_api_url,
        )
    if settings.discord_client_id and settings.discord_client_secret:
        discord = OAuthClient(
            settings.discord_client_id,
            settings.discord_client_secret.get_secret_value(),
            settings.discord_api_url or "",
        )
    return WebConfig(
        public_url=settings.public_url,
        session_key=key,
        timezone=settings.tigerbird_timezone,
        slack=slack,
        discord=discord,
    )


class HttpServer:
    """One aiohttp application on one port; `bound_port` is the port it got (for port 0).

    Several workers on one host share the port (SO_REUSEPORT, where the system has it): the
    kernel spreads connections over them, and any of them can serve any request, the session
    living in a cookie all workers can read."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.bound_port: int | None = None

    async def start(self) -> None:
        """Listen; a port in use raises OSError(EADDRINUSE)."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        reuse = hasattr(socket, "SO_REUSEPORT") and self._port != 0
        site = web.TCPSite(self._runner, self._host, self._port, reuse_port=reuse or None)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            self._runner = None
            raise
        sockets = getattr(site._server, "sockets", None) or []
        self.bound_port = sockets[0].getsockname()[1] if sockets else self._port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def build_http(
    service: Tigerbird,
    store: UnitOfWorkFactory,
    settings: Settings,
    adapters: Sequence[Any],
    host: str = "0.0.0.0",
) -> tuple[HttpServer, Dashboard]:
    """The application: each adapter's HTTP routes (Slack's) and the dashboard under `/`."""
    app = web.Application()
    for adapter in adapters:
        if getattr(adapter, "serves_http", False):
            adapter.add_routes(app)
    standings: dict[PlatformName, Standings] = {
        adapter.platform.name: adapter.standings for adapter in adapters
    }
    key = await session_key(store, settings)
    dashboard = build_dashboard(web_config(settings, key), service, standings, settings.manager_ids)
    dashboard.mount(app)
    return HttpServer(app, host, settings.tigerbird_http_port), dashboard


async def start_http(http: HttpServer, settings: Settings) -> None:
    """Listen, or say why not as `http: …` (a port in use names the setting to change)."""
    try:
        await http.start()
    except OSError as error:
        port = settings.tigerbird_http_port
        reason = f"port {port} is in use (set TIGERBIRD_HTTP_PORT to a free port)"
        if error.errno != errno.EADDRINUSE:
            reason = f"cannot listen on port {port} ({failure_reason(error)})"
        raise StartupError("http", reason) from error


def console_link(dashboard: Dashboard) -> str:
    """A one-time sign-in link for the console's local community (its one person)."""
    return dashboard.sign_in_link(Person(PlatformName.CONSOLE, MEMBER, "Console"), [COMMUNITY])
