"""The home page: the communities the signed-in person manages now (and only those)."""

from __future__ import annotations

from aiohttp import web

from adapters.web.render import render
from adapters.web.session import signed_in_person
from adapters.web.state import dashboard_of

routes = web.RouteTableDef()
NAV = None


@routes.get("/")
async def community_list(request: web.Request) -> web.Response:
    found = await signed_in_person(request)
    if found is None:
        raise web.HTTPSeeOther("/signin")
    person, listed = found
    dashboard = dashboard_of(request)
    callers = await dashboard.access.managed_communities(person, listed, dashboard.standings)
    return await render(request, "communities.html", communities=[c.community for c in callers])
