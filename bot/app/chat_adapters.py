"""The chat adapters the settings enable, built with the core's entry points and started with
failures that name the platform. Each adapter paces its own requests (Discord: every request
under DISCORD_REQUESTS_PER_SECOND; Slack: per workspace and method)."""

from __future__ import annotations

import errno
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app.core import Core
from bot.app.settings import Settings
from bot.app.startup_errors import StartupError, failure_reason
from bot.core.ports import Adapter

log = logging.getLogger("tigerbird")


def build_adapters(
    core: Core, settings: Settings, engine: AsyncEngine | None = None
) -> list[Adapter]:
    """The enabled chat adapters; the console when no Slack or Discord token is set. Slack
    keeps its OAuth installations and replay guard on `engine` (the core's: one pool, and on
    SQLite one writer)."""
    adapters: list[Adapter] = []
    if settings.slack_enabled:
        from adapters.slack import build as build_slack

        adapters.append(
            build_slack(settings, core.service, core.commands, engine=engine, own_server=False)
        )
    if settings.discord_enabled:
        from adapters.discord import build as build_discord

        adapters.append(build_discord(settings, core.service, core.commands))
    if not adapters:
        from adapters.console import build as build_console

        adapters.append(build_console(core.service, core.commands))
    for adapter in adapters:
        core.platforms[adapter.platform.name] = adapter.platform
    return adapters


async def start_adapter(adapter: Adapter, settings: Settings) -> None:
    """Connect one chat adapter; a failure names the platform (or the HTTP port), not the
    database."""
    try:
        await adapter.start()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            http_port = settings.tigerbird_http_port
            raise StartupError(
                "http", f"port {http_port} is in use (set TIGERBIRD_HTTP_PORT to a free port)"
            ) from error
        host, port = getattr(error, "host", None), getattr(error, "port", None)
        where = f" to {host}:{port}" if host else ""
        reason = f"cannot connect{where} ({failure_reason(error)})"
        raise StartupError(adapter.platform.name.value, reason) from error
    except Exception as error:  # the platform's own refusal (bad token, gateway closed)
        log.debug("%s failed to start", adapter.platform.name.value, exc_info=True)
        raise StartupError(adapter.platform.name.value, failure_reason(error)) from error
