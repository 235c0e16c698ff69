"""Pages from Jinja2 templates, every value escaped (autoescape), with the layout's context."""

from __future__ import annotations

from typing import Any

import jinja2
from aiohttp import web

from adapters.web.session import csrf_token, signed_in_person
from adapters.web.state import dashboard_of
from bot.core.authz import Caller


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("adapters.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


async def render(
    request: web.Request,
    template: str,
    *,
    caller: Caller | None = None,
    status: int = 200,
    **context: Any,
) -> web.Response:
    """The template with the person, the CSRF token, the community and its navigation."""
    dashboard = dashboard_of(request)
    found = await signed_in_person(request)
    html = dashboard.templates.get_template(template).render(
        person=found[0] if found else None,
        csrf_token=await csrf_token(request),
        community=caller.community if caller else None,
        nav=dashboard.nav if caller else (),
        current=request.path,
        **context,
    )
    return web.Response(text=html, content_type="text/html", status=status)
