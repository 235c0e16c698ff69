"""The signed-in person in an encrypted, expiring session cookie (aiohttp-session, Fernet).

The session holds who signed in and which communities their sign-in listed, and the CSRF
token; never a platform token. Rights are re-checked on every request (`guard.py`)."""

from __future__ import annotations

import secrets
import time

from aiohttp import web
from aiohttp.typedefs import Middleware
from aiohttp_session import Session, get_session, new_session
from aiohttp_session import session_middleware as _session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from adapters.web.config import WebConfig
from adapters.web.state import dashboard_of
from bot.core.authz import Person
from bot.core.domain import PlatformName

COOKIE_NAME = "tigerbird_session"
CSRF_KEY = "csrf"


def session_middleware(config: WebConfig) -> Middleware:
    """HttpOnly, SameSite=Lax, Secure on https; the browser and the server both expire it."""
    seconds = int(config.session_lifetime.total_seconds())
    storage = EncryptedCookieStorage(
        config.session_key,
        cookie_name=COOKIE_NAME,
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=config.secure_cookies,
        path="/",
    )
    return _session_middleware(storage)


async def sign_in(request: web.Request, person: Person, communities: tuple[str, ...]) -> None:
    """Start a fresh session (a new cookie: no session fixation) for `person`."""
    session = await new_session(request)
    session["person"] = {
        "platform": person.platform.value,
        "member_id": person.member_id,
        "name": person.name,
    }
    session["communities"] = list(communities)
    session["signed_in_at"] = int(time.time())
    session[CSRF_KEY] = secrets.token_urlsafe(32)


async def signed_in_person(request: web.Request) -> tuple[Person, tuple[str, ...]] | None:
    """Who is signed in and the communities their sign-in listed, or None (also once the
    session is older than its lifetime, however active: the cookie's own expiry is renewed
    by use)."""
    session = await get_session(request)
    raw = session.get("person")
    if not isinstance(raw, dict):
        return None
    lifetime = dashboard_of(request).config.session_lifetime.total_seconds()
    if time.time() - float(session.get("signed_in_at", 0)) > lifetime:
        session.invalidate()
        return None
    try:
        person = Person(PlatformName(raw["platform"]), str(raw["member_id"]), str(raw["name"]))
    except (KeyError, ValueError):
        return None
    return person, tuple(str(c) for c in session.get("communities", []))


async def sign_out(request: web.Request) -> None:
    session = await get_session(request)
    session.invalidate()


async def csrf_token(request: web.Request) -> str:
    """The session's CSRF token (made on first use, also for someone not signed in)."""
    session: Session = await get_session(request)
    token = session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token
