"""Signing in (Slack, Discord, a one-time link) and out. Failures are rate-limited per address
and said in plain words; no token or secret is ever shown or logged."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp_session import get_session

from adapters.web.identity import SignInFailed
from adapters.web.render import render
from adapters.web.session import sign_in, sign_out
from adapters.web.state import dashboard_of

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
NAV = None
OAUTH_KEY = "oauth"


def _client(request: web.Request) -> str:
    return request.remote or "unknown"


def _refuse_if_blocked(request: web.Request) -> None:
    if dashboard_of(request).limiter.blocked(_client(request)):
        raise web.HTTPTooManyRequests(text="Too many failed sign-ins: wait a few minutes.")


def _redirect_uri(request: web.Request, provider: str) -> str:
    return f"{dashboard_of(request).config.public_url}/signin/{provider}/callback"


@routes.get("/signin")
async def signin_page(request: web.Request) -> web.Response:
    providers = [(p.name, p.label) for p in dashboard_of(request).providers.values()]
    return await render(request, "signin.html", providers=providers, error=None)


@routes.get("/signin/link/{token}")
async def signin_link(request: web.Request) -> web.Response:
    _refuse_if_blocked(request)
    dashboard = dashboard_of(request)
    pending = dashboard.links.redeem(request.match_info["token"])
    if pending is None:
        dashboard.limiter.failed(_client(request))
        return await _failed(request, "This sign-in link was already used or has expired.", 404)
    await sign_in(request, pending.person, pending.communities)
    raise web.HTTPSeeOther("/")


@routes.get("/signin/{provider}")
async def signin_start(request: web.Request) -> web.Response:
    _refuse_if_blocked(request)
    name = request.match_info["provider"]
    provider = dashboard_of(request).providers.get(name)
    if provider is None:
        raise web.HTTPNotFound(text="This sign-in is not set up here.")
    url, saved = provider.start(_redirect_uri(request, name))
    session = await get_session(request)
    session[OAUTH_KEY] = {"provider": name, **saved}
    raise web.HTTPSeeOther(url)


@routes.get("/signin/{provider}/callback")
async def signin_callback(request: web.Request) -> web.Response:
    _refuse_if_blocked(request)
    dashboard = dashboard_of(request)
    name = request.match_info["provider"]
    provider = dashboard.providers.get(name)
    if provider is None:
        raise web.HTTPNotFound(text="This sign-in is not set up here.")
    session = await get_session(request)
    saved = session.pop(OAUTH_KEY, None)
    try:
        if not isinstance(saved, dict) or saved.get("provider") != name:
            raise SignInFailed("the sign-in was not started here (open the sign-in page again)")
        done = await provider.finish(dict(request.query), saved, _redirect_uri(request, name))
    except SignInFailed as failure:
        dashboard.limiter.failed(_client(request))
        log.info("dashboard sign-in with %s failed: %s", name, failure)
        return await _failed(request, f"Sign-in failed: {failure}.", 400)
    await sign_in(request, done.person, done.communities)
    log.info("dashboard sign-in: %s member %s", name, done.person.member_id)
    raise web.HTTPSeeOther("/")


@routes.post("/signout")
async def signout(request: web.Request) -> web.Response:
    await sign_out(request)
    raise web.HTTPSeeOther("/signin")


async def _failed(request: web.Request, error: str, status: int) -> web.Response:
    providers = [(p.name, p.label) for p in dashboard_of(request).providers.values()]
    return await render(request, "signin.html", providers=providers, error=error, status=status)
