"""The dashboard object kept on the aiohttp application, and how a request finds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from adapters.web.dashboard import Dashboard

DASHBOARD: web.AppKey[Dashboard] = web.AppKey("tigerbird_dashboard")


def dashboard_of(request: web.Request) -> Dashboard:
    return request.app[DASHBOARD]
