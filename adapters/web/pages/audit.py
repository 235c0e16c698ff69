"""The audit log of one community: who changed what, when, from the dashboard or chat.

The entries come from the audit port (helper h5's storage); until it is wired, the page says
that nothing is recorded yet."""

from __future__ import annotations

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.render import render

routes = web.RouteTableDef()
NAV = ("/audit", "Audit log")


@routes.get("/c/{community_id}/audit")
async def audit_page(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    return await render(request, "audit.html", caller=caller, entries=[])
