"""What a sign-in provider is and answers, without the OAuth libraries (loaded only when a
provider is configured, by `providers_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.core.authz import Person

if TYPE_CHECKING:
    from adapters.web.config import WebConfig


class SignInFailed(Exception):
    """The platform refused or the answer did not check out; the text is safe to show."""


@dataclass(frozen=True)
class SignedIn:
    person: Person
    communities: tuple[str, ...]


class SignInProvider(Protocol):
    name: str
    label: str

    def start(self, redirect_uri: str) -> tuple[str, dict[str, str]]:
        """The platform's authorization URL, and what must come back to finish (kept in the
        session: state, nonce, PKCE verifier)."""
        ...

    async def finish(
        self, query: dict[str, str], saved: dict[str, str], redirect_uri: str
    ) -> SignedIn:
        """Exchange the code and say who signed in (raises SignInFailed)."""
        ...


def providers_for(config: WebConfig) -> dict[str, SignInProvider]:
    """The sign-in buttons this deployment offers (each needs its client id and secret)."""
    found: dict[str, SignInProvider] = {}
    if config.slack is None and config.discord is None:
        return found
    from adapters.web.oauth import DiscordSignIn, SlackSignIn  # Authlib, only when used

    if config.slack is not None:
        found["slack"] = SlackSignIn(config.slack)
    if config.discord is not None:
        found["discord"] = DiscordSignIn(config.discord)
    return found
