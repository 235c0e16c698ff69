"""DATABASE_URL plus DATABASE_PASSWORD: the password goes into the URL percent-encoded, so one
holding `@`, `:` or `/` (as generated passwords do) still gives a valid URL."""

from __future__ import annotations

from urllib.parse import quote


def with_password(url: str, password: str) -> str:
    """`url` (postgresql+asyncpg://USER@HOST...) with `password` set, replacing any in the URL."""
    scheme, sep, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    userinfo, at, host = netloc.rpartition("@")
    if not sep or not scheme.startswith("postgresql") or not at or not userinfo:
        raise ValueError(
            "needs DATABASE_URL=postgresql+asyncpg://USER@HOST:PORT/DB (the user, no password)"
        )
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:{quote(password, safe='')}@{host}{slash}{path}"
