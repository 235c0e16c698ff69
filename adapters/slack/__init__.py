"""Tigerbird on Slack: the application (bot.app.chat_adapters) calls `build(settings, app,
commands)`; `settings` is anything shaped like `config.SlackSettings`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.app import SlackAdapter
from adapters.slack.client import web_client
from adapters.slack.config import SlackSettings
from adapters.slack.listeners import Listeners
from adapters.slack.members import MemberDirectory
from adapters.slack.oauth import (
    InstalledTokens,
    StaticTokens,
    TokenSource,
    installation_store,
    oauth_settings,
)
from adapters.slack.platform import SlackPlatform
from adapters.slack.rate_buckets import NoPacing, SlackPacing
from adapters.slack.replay import SqlRequestLog
from bot.core.domain import PlatformName
from bot.core.ports import CommandRunner, CoreEntry

__all__ = ["SlackAdapter", "SlackConfigError", "build"]


class SlackConfigError(ValueError):
    """The SLACK_* settings do not describe a runnable setup."""


def build(
    settings: SlackSettings,
    app: CoreEntry,
    commands: CommandRunner,
    *,
    engine: AsyncEngine | None = None,
    http_host: str = "0.0.0.0",
    own_server: bool = True,
) -> SlackAdapter:
    """The Slack adapter from settings: single workspace with SLACK_BOT_TOKEN, or many with
    SLACK_CLIENT_ID/SECRET (OAuth, installations in the database on `engine`, or on an
    engine made from DATABASE_URL). Socket Mode when SLACK_APP_TOKEN is set, HTTP otherwise.
    Nothing connects until `start()`. `own_server=False`: the HTTP routes are added to the
    caller's application (`add_routes`) instead of served on a port of their own."""
    secret = _secret(settings.slack_signing_secret)
    app_token = _secret(settings.slack_app_token)
    oauth = settings.slack_client_id is not None
    if not oauth and settings.slack_bot_token is None:
        raise SlackConfigError("Set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SECRET.")
    if not app_token and not secret:
        raise SlackConfigError("HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN).")
    if oauth and not (settings.slack_client_secret and secret):
        raise SlackConfigError("OAuth needs SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET.")

    owned_engine = None
    tokens: TokenSource
    if engine is None:  # OAuth installations and the replay guard live in the database
        from bot.storage.engine import make_engine

        engine = owned_engine = make_engine(settings.database_url)
    if oauth:
        store = installation_store(settings, engine)
        client = web_client(settings.slack_api_url)
        bolt = AsyncApp(
            signing_secret=secret,
            client=client,
            installation_store=store,
            oauth_settings=oauth_settings(settings, engine, store),
            process_before_response=True,  # ack an event once stored (listeners.register)
        )
        tokens = InstalledTokens(store)
    else:
        token = _secret(settings.slack_bot_token)
        client = web_client(settings.slack_api_url, token=token)
        bolt = AsyncApp(signing_secret=secret, client=client, process_before_response=True)
        tokens = StaticTokens(token)

    async def community_managers(team: str) -> tuple[str, ...]:
        found = await app.community(PlatformName.SLACK, team)
        return found.manager_ids if found else ()

    platform = SlackPlatform(
        web_client(settings.slack_api_url),
        tokens,
        settings.manager_ids,
        community_managers,
        pacing=SlackPacing() if settings.slack_pacing else NoPacing(),
    )

    async def reconcile(team: str, user: str) -> int:
        return await app.remove_bot(PlatformName.SLACK, team, user)

    members = MemberDirectory(platform, reconcile)
    listeners = Listeners(app, commands, platform, SqlRequestLog(engine), members)
    listeners.register(bolt, multi_workspace=oauth)
    serve_http = oauth or not app_token
    return SlackAdapter(
        bolt,
        platform,
        app_token=app_token or None,
        http_port=settings.tigerbird_http_port if serve_http and own_server else None,
        http_host=http_host,
        engine=owned_engine,
        signing_secret=secret,
        serves_http=serve_http,
        members=members,
        access_log=settings.slack_access_log,
    )


def _secret(value: object) -> str:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter else ""
