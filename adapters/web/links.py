"""One-time sign-in links: the console prints one for the local community, tests sign a given
person in with one. A link is a random token kept in this process's memory, valid once and for
a limited time; it is never derived from a secret."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.authz import Person

LINK_PATH = "/signin/link/"


@dataclass(frozen=True)
class Pending:
    person: Person
    communities: tuple[str, ...]
    expires: datetime


class SignInLinks:
    """Issues and redeems one-time sign-in links."""

    def __init__(
        self, lifetime: timedelta, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._lifetime = lifetime
        self._now = now
        self._pending: dict[str, Pending] = {}

    def issue(self, person: Person, communities: tuple[str, ...]) -> str:
        """The path (under the dashboard's public URL) that signs `person` in once."""
        self._forget_expired()
        token = secrets.token_urlsafe(32)
        self._pending[token] = Pending(person, communities, self._now() + self._lifetime)
        return LINK_PATH + token

    def redeem(self, token: str) -> Pending | None:
        """Who the link signs in, once; None for an unknown, used or expired link."""
        self._forget_expired()
        return self._pending.pop(token, None)

    def _forget_expired(self) -> None:
        now = self._now()
        for token in [t for t, p in self._pending.items() if p.expires <= now]:
            del self._pending[token]
