"""The management use cases (bot.service_layer.dashboard) as the pages reach them: built once
per application over the dashboard's service and its one Access, with the platforms' direct
messages for telling a suggester the decision; plus small helpers the pages share."""

from __future__ import annotations

from aiohttp import web

from adapters.web.state import dashboard_of
from bot.service_layer.dashboard import Management, build_management


def management_of(request: web.Request) -> Management:
    """The management use cases of this dashboard (built on first use)."""
    dashboard = dashboard_of(request)
    found = dashboard.management
    if found is None:
        found = build_management(
            dashboard.service, dashboard.access, dashboard.service.message_member
        )
        dashboard.management = found
    return found


def page_number(request: web.Request) -> int:
    raw = request.query.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 10**6 else 1


def number_in_path(request: web.Request, name: str) -> int:
    """An id from the route; anything not a number is a missing page (404)."""
    raw = request.match_info[name]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise web.HTTPNotFound(text="Not found.")
    return int(raw)


async def form_of(request: web.Request) -> dict[str, str]:
    """The posted form's text fields, stripped (files are read by the page that takes them)."""
    form = await request.post()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}
