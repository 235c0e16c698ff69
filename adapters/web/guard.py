"""Who may see a page: the signed-in person, and a community they manage *now*.

`managed_community` re-checks on every request, through the core's one authorization path
(bot.core.authz.Access.web_caller) and the platform's current word on the person, that they
manage the community; any other community answers 404 exactly like a missing one."""

from __future__ import annotations

from aiohttp import web

from adapters.web.session import signed_in_person
from adapters.web.state import dashboard_of
from bot.core.authz import Caller, Person
from bot.core.invocations import CommandError
from bot.core.ports import PlatformError


async def signed_in(request: web.Request) -> Person:
    """The signed-in person; someone signed out is sent to the sign-in page."""
    found = await signed_in_person(request)
    if found is None:
        raise web.HTTPSeeOther("/signin")
    return found[0]


async def managed_community(request: web.Request, community_id: int | str) -> Caller:
    """The signed-in person acting in a community they manage, or 404."""
    person = await signed_in(request)
    try:
        number = int(community_id)
    except ValueError:
        raise web.HTTPNotFound(text="No such community.") from None
    dashboard = dashboard_of(request)
    try:
        return await dashboard.access.web_caller(person, number, dashboard.standings)
    except (CommandError, PlatformError):
        raise web.HTTPNotFound(text="No such community.") from None


async def community_from_path(request: web.Request) -> Caller:
    """`managed_community` for the `{community_id}` in the route."""
    return await managed_community(request, request.match_info["community_id"])
