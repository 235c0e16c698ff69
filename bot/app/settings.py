"""Configuration from the environment and `.env`, validated at start-up."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Literal

from pydantic import (
    Field,
    SecretStr,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot._data import prompts_dir
from bot.app.database_url import with_password
from bot.delivery.holdout import DEFAULT_HOLDOUT

# Discord allows a bot 50 requests/s across all its processes; Tigerbird paces at 95% of it.
DISCORD_GLOBAL_PER_SECOND = 50.0
DISCORD_PACE_SHARE = 0.95

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def redact_url(url: str) -> str:
    """The URL with its password replaced by ***, for anything printed or logged."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "***@" + url.rsplit("@", 1)[1] if "@" in url else url


class DatabaseUrl(str):
    """The database URL: the engine gets the real text, repr and dumps hide the password."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(redact_url(self))


class Settings(BaseSettings):
    """Every setting Tigerbird reads. Tokens are SecretStr: they never print or log."""

    model_config = SettingsConfigDict(
        hide_input_in_errors=True,  # a rejected value may hold a password or token
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    database_url: DatabaseUrl = Field(
        default=DatabaseUrl("sqlite+aiosqlite:///./tigerbird.db"), validation_alias="DATABASE_URL"
    )
    # Set apart from DATABASE_URL so that a password holding `@` or `:` needs no URL-encoding.
    database_password: SecretStr | None = Field(default=None, validation_alias="DATABASE_PASSWORD")
    tigerbird_timezone: str = Field(default="UTC", validation_alias="TIGERBIRD_TIMEZONE")
    tigerbird_log_level: LogLevel = Field(default="INFO", validation_alias="TIGERBIRD_LOG_LEVEL")
    tigerbird_member_key: SecretStr | None = Field(
        default=None, validation_alias="TIGERBIRD_MEMBER_KEY"
    )
    tigerbird_prompts_dir: Path = Field(
        default_factory=prompts_dir, validation_alias="TIGERBIRD_PROMPTS_DIR"
    )
    # One HTTP server: the dashboard under / and Slack's /slack/* endpoints (0: any free port).
    tigerbird_http_port: int = Field(
        default=8080, ge=0, le=65535, validation_alias="TIGERBIRD_HTTP_PORT"
    )
    # Where people reach the dashboard (OAuth redirect URLs, sign-in links, Secure cookies on
    # https). Empty: http://localhost:TIGERBIRD_HTTP_PORT.
    tigerbird_public_url: str | None = Field(default=None, validation_alias="TIGERBIRD_PUBLIC_URL")
    # Encrypts the dashboard's session cookie; empty: generated and kept in the database.
    tigerbird_session_secret: SecretStr | None = Field(
        default=None, validation_alias="TIGERBIRD_SESSION_SECRET"
    )
    tigerbird_managers: str = Field(default="", validation_alias="TIGERBIRD_MANAGERS")
    # Share of slots given to a uniform pick, to measure the policy's lift (0 turns it off).
    tigerbird_holdout: float = Field(default=DEFAULT_HOLDOUT, validation_alias="TIGERBIRD_HOLDOUT")

    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_SIGNING_SECRET"
    )
    slack_client_id: str | None = Field(default=None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_CLIENT_SECRET"
    )
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    # Keep under Slack's per-workspace limits client-side (off only against a fake without them).
    slack_pacing: bool = Field(default=True, validation_alias="SLACK_PACING")
    # One line per request on the adapter's own Slack HTTP port; off: it costs the event path CPU.
    slack_access_log: bool = Field(default=False, validation_alias="SLACK_ACCESS_LOG")

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    # The Discord application's OAuth2 client, for "Sign in with Discord" on the dashboard.
    discord_client_id: str | None = Field(default=None, validation_alias="DISCORD_CLIENT_ID")
    discord_client_secret: SecretStr | None = Field(
        default=None, validation_alias="DISCORD_CLIENT_SECRET"
    )
    discord_api_url: str | None = Field(default=None, validation_alias="DISCORD_API_URL")
    discord_gateway_url: str | None = Field(default=None, validation_alias="DISCORD_GATEWAY_URL")
    discord_shard_count: int | None = Field(
        default=None, ge=1, validation_alias="DISCORD_SHARD_COUNT"
    )
    discord_shard_ids: list[int] | None = Field(default=None, validation_alias="DISCORD_SHARD_IDS")
    discord_requests_per_second: float | None = Field(
        default=None, gt=0, validation_alias="DISCORD_REQUESTS_PER_SECOND"
    )

    @field_validator("tigerbird_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"'{value}' is not an IANA timezone (e.g. UTC, Europe/Paris, America/New_York)"
            ) from exc
        return value

    @field_validator("tigerbird_holdout", mode="before")
    @classmethod
    def _holdout_share(cls, value: object) -> float:
        try:
            share = float(str(value).strip())
        except ValueError:
            share = float("nan")
        if not 0.0 <= share <= 1.0:  # NaN fails too
            raise ValueError(
                f"'{value}' must be a share between 0 and 1, e.g. 0.10 (0 turns the holdout off)"
            )
        return share

    @field_validator("database_url", mode="before")
    @classmethod
    def _async_driver(cls, value: object) -> DatabaseUrl:
        allowed = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
        if not isinstance(value, str):
            raise ValueError("must be a database URL")
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return DatabaseUrl("postgresql+asyncpg://" + value.split("://", 1)[1])
        if not value.startswith(allowed):
            raise ValueError(
                f"'{redact_url(value)}' is not supported; use sqlite+aiosqlite:///PATH or "
                "postgresql+asyncpg://USER@HOST:PORT/DB"
            )
        return DatabaseUrl(value)

    @field_serializer("database_url")
    def _redacted(self, value: DatabaseUrl) -> str:
        return redact_url(value)

    @field_validator("database_password")
    @classmethod
    def _password_into_url(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is not None and "database_url" in info.data:
            info.data["database_url"] = DatabaseUrl(
                with_password(info.data["database_url"], value.get_secret_value())
            )
        return value

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _shard_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.isdigit() for p in parts):
                raise ValueError(f"'{value}' must be comma-separated shard numbers, e.g. 0,1")
            return [int(p) for p in parts]
        if isinstance(value, int):
            return [value]
        return value

    @model_validator(mode="after")
    def _runnable_slack(self) -> Settings:
        """A Slack set-up that cannot run stops the start, naming what is missing."""
        has = {
            "SLACK_BOT_TOKEN": self.slack_bot_token is not None,
            "SLACK_APP_TOKEN": self.slack_app_token is not None,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret is not None,
            "SLACK_CLIENT_ID": self.slack_client_id is not None,
            "SLACK_CLIENT_SECRET": self.slack_client_secret is not None,
        }
        if has["SLACK_CLIENT_ID"] or has["SLACK_CLIENT_SECRET"]:
            needed = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET")
            missing = [name for name in needed if not has[name]]
            if missing:
                raise ValueError(
                    f"Slack OAuth (several workspaces) needs {', '.join(needed)}; "
                    f"missing: {', '.join(missing)}"
                )
        elif has["SLACK_BOT_TOKEN"]:
            if not (has["SLACK_APP_TOKEN"] or has["SLACK_SIGNING_SECRET"]):
                raise ValueError(
                    "SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or "
                    "SLACK_SIGNING_SECRET (HTTP events)"
                )
        elif has["SLACK_APP_TOKEN"] or has["SLACK_SIGNING_SECRET"]:
            given = " and ".join(n for n in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET") if has[n])
            raise ValueError(
                f"{given} set without SLACK_BOT_TOKEN (one workspace) or "
                "SLACK_CLIENT_ID/SLACK_CLIENT_SECRET (several); set one, or unset "
                f"{given} to use the console channel"
            )
        return self

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token or self.slack_client_id)

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None

    @property
    def discord_request_rate(self) -> float:
        """Requests/s this process may send to Discord: DISCORD_REQUESTS_PER_SECOND, or 95% of
        the bot's 50/s times this process's fraction of the shards (the limit is per bot)."""
        if self.discord_requests_per_second is not None:
            return self.discord_requests_per_second
        share = 1.0
        if self.discord_shard_count and self.discord_shard_ids:
            share = min(1.0, len(set(self.discord_shard_ids)) / self.discord_shard_count)
        return DISCORD_GLOBAL_PER_SECOND * DISCORD_PACE_SHARE * share

    @field_validator("tigerbird_public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' must start with http:// or https://")
        return value.rstrip("/") if value else value

    @property
    def public_url(self) -> str:
        """The dashboard's address as people reach it (no trailing slash)."""
        return self.tigerbird_public_url or f"http://localhost:{self.tigerbird_http_port}"

    @property
    def manager_ids(self) -> tuple[str, ...]:
        return tuple(m.strip() for m in self.tigerbird_managers.split(",") if m.strip())
