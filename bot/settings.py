"""Configuration from the environment and `.env`, validated at start-up."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot._data import prompts_dir
from bot.database_url import with_password

# Discord allows a bot 50 requests/s across all its processes; Tigerbird paces at 95% of it.
DISCORD_GLOBAL_PER_SECOND = 50.0
DISCORD_PACE_SHARE = 0.95

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Every setting Tigerbird reads. Tokens are SecretStr: they never print or log."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    database_url: str = Field(
        default="sqlite+aiosqlite:///./tigerbird.db", validation_alias="DATABASE_URL"
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
    tigerbird_http_port: int = Field(
        default=3000, ge=1, le=65535, validation_alias="TIGERBIRD_HTTP_PORT"
    )
    tigerbird_managers: str = Field(default="", validation_alias="TIGERBIRD_MANAGERS")

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

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
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

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        allowed = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(allowed):
            raise ValueError(
                f"'{value}' is not supported; use sqlite+aiosqlite:///PATH or "
                "postgresql+asyncpg://USER@HOST:PORT/DB"
            )
        return value

    @field_validator("database_password")
    @classmethod
    def _password_into_url(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is not None and "database_url" in info.data:
            info.data["database_url"] = with_password(
                info.data["database_url"], value.get_secret_value()
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

    @property
    def manager_ids(self) -> tuple[str, ...]:
        return tuple(m.strip() for m in self.tigerbird_managers.split(",") if m.strip())
