"""A CSRF token on every state-changing request: the session's token must come back in the
form field `csrf_token` (or the X-CSRF-Token header, for htmx); otherwise 403."""

from __future__ import annotations

import hmac

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_session import get_session

from adapters.web.session import CSRF_KEY

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def is_dashboard(request: web.Request) -> bool:
    """Slack's own endpoints (signed by Slack) are not the dashboard's to guard."""
    return not request.path.startswith("/slack/")


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in SAFE_METHODS or not is_dashboard(request):
        return await handler(request)
    session = await get_session(request)
    expected = session.get(CSRF_KEY)
    sent = request.headers.get(HEADER)
    if sent is None and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = await request.post()  # aiohttp keeps it: the handler reads the same form
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        raise web.HTTPForbidden(text="The form was stale or not sent by the dashboard: reload it.")
    return await handler(request)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No framing, no sniffing, scripts and styles from the dashboard itself only."""
    response = await handler(request)
    if is_dashboard(request):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
    return response
