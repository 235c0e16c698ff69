"""How start-up failures read: one line, `part: reason`, without the libraries' noise."""

from __future__ import annotations

import socket

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

# What a database that cannot be reached or opened raises (asyncpg's own errors, such as a
# refused password, are not wrapped by SQLAlchemy when connecting).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (OSError, SQLAlchemyError)


class StartupError(Exception):
    """A part that could not start; its text is one line, `part: reason` (e.g. `database: …`,
    `slack: …`, `http: port 8080 is in use …`)."""

    def __init__(self, part: str, reason: str) -> None:
        super().__init__(f"{part}: {reason}")
        self.part = part


def failure_reason(error: BaseException) -> str:
    """The cause of a failed connection in a few words, without the library's noise."""
    text = str(error).strip()
    if isinstance(error, ConnectionRefusedError) or "Connect call failed" in text:
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "host not found"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:]
    original = getattr(error, "orig", None)  # SQLAlchemy's wrapper around the driver's error
    if original is not None:
        return failure_reason(original)
    return text.splitlines()[0] if text else type(error).__name__


def database_error(url: str, error: BaseException) -> StartupError:
    """`database: cannot reach URL (reason)`, the URL's password hidden."""
    shown = make_url(url).render_as_string(hide_password=True)
    return StartupError("database", f"cannot reach {shown} ({failure_reason(error)})")
