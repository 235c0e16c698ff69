"""Which bot token speaks for which workspace: one fixed token, or OAuth installations kept
in the database by slack_sdk's async SQLAlchemy stores (tables created by Alembic)."""

from __future__ import annotations

from typing import Protocol

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.config import SlackSettings
from bot.core.ports import PlatformError

BOT_SCOPES = (
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:write",
    "metadata.message:read",
    "pins:write",
    "reactions:read",
    "reactions:write",
    "users:read",
)
STATE_EXPIRATION_SECONDS = 600


class TokenSource(Protocol):
    """Finds the bot token and the installing user of a workspace."""

    async def bot_token(self, team_id: str) -> str:
        """The workspace's bot token; PlatformError(permanent) if Tigerbird is not installed."""
        ...

    async def installer(self, team_id: str) -> str | None: ...


class StaticTokens:
    """Single-workspace mode: SLACK_BOT_TOKEN speaks for whichever workspace it belongs to."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def bot_token(self, team_id: str) -> str:
        return self._token

    async def installer(self, team_id: str) -> str | None:
        return None


class InstalledTokens:
    """Multi-workspace mode: tokens saved by the OAuth flow."""

    def __init__(self, store: AsyncSQLAlchemyInstallationStore) -> None:
        self._store = store

    async def bot_token(self, team_id: str) -> str:
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise PlatformError(
                f"Tigerbird is not installed in Slack workspace {team_id}",
                permanent=True,
                code="not_installed",
            )
        return str(bot.bot_token)

    async def installer(self, team_id: str) -> str | None:
        installation = await self._store.async_find_installation(
            enterprise_id=None, team_id=team_id
        )
        return installation.user_id if installation else None


def installation_store(
    settings: SlackSettings, engine: AsyncEngine
) -> AsyncSQLAlchemyInstallationStore:
    """The installation store on the app's database (default table names)."""
    return AsyncSQLAlchemyInstallationStore(client_id=settings.slack_client_id or "", engine=engine)


def authorize_url(api_url: str) -> str:
    """The OAuth consent page on the same Slack host as the Web API (GovSlack-ready)."""
    host = api_url.rstrip("/").removesuffix("/api")
    return f"{host}/oauth/v2/authorize"


def oauth_settings(
    settings: SlackSettings, engine: AsyncEngine, store: AsyncSQLAlchemyInstallationStore
) -> AsyncOAuthSettings:
    """OAuth install at /slack/install, redirect at /slack/oauth_redirect, state in the DB."""
    secret = settings.slack_client_secret
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        scopes=list(BOT_SCOPES),
        installation_store=store,
        installation_store_bot_only=False,
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine
        ),
        authorization_url=authorize_url(settings.slack_api_url),
    )
