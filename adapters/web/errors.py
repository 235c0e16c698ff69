"""Refusals as pages: a 403, 404 or 429 on the dashboard is shown in the layout (escaped), with
the same words whatever the reason, so another community reads exactly like a missing one."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from adapters.web.csrf import is_dashboard
from adapters.web.render import render

SHOWN = {403: "Not allowed", 404: "Not found", 429: "Too many attempts"}


@web.middleware
async def error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as refusal:
        title = SHOWN.get(refusal.status)
        if title is None or not is_dashboard(request) or request.path.startswith("/static/"):
            raise
        return await render(
            request, "error.html", status=refusal.status, title=title, message=refusal.text or ""
        )
