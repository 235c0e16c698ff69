"""The audit log of one community: who changed what, when, from the dashboard or chat, newest
first, a page at a time (bot.service_layer.audit_trail over the AuditRepository port)."""

from __future__ import annotations

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.manage import management_of
from adapters.web.render import render

routes = web.RouteTableDef()
NAV = ("/audit", "Audit log")


@routes.get("/c/{community_id}/audit")
async def audit_page(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    raw = request.query.get("before", "")
    before = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 13 else None
    page = await management_of(request).audit.page(caller, before=before)
    return await render(
        request, "audit.html", caller=caller, entries=page.entries, older=page.before
    )
