"""What the dashboard is told by the composition root (it reads no settings itself)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class OAuthClient:
    """One platform's OAuth client: its id and secret, and its API base URL."""

    client_id: str
    client_secret: str = field(repr=False)
    api_url: str


@dataclass
class WebConfig:
    """`public_url` is where people reach the dashboard (redirect URLs, links, Secure cookies);
    `session_key` the 32 bytes that encrypt the session cookie."""

    public_url: str
    session_key: bytes = field(repr=False)
    timezone: str = "UTC"
    slack: OAuthClient | None = None
    discord: OAuthClient | None = None
    session_lifetime: timedelta = timedelta(hours=12)
    link_lifetime: timedelta = timedelta(hours=1)

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")
