"""The settings the Slack adapter reads, as a Protocol: the composition root (bot.app) hands
its settings in, and the adapter never imports the application's settings module."""

from __future__ import annotations

from typing import Protocol

from pydantic import SecretStr


class SlackSettings(Protocol):
    """SLACK_* tokens and endpoints, the managers, the HTTP port and the database URL (OAuth
    installations and the replay guard live in the database)."""

    @property
    def slack_bot_token(self) -> SecretStr | None: ...

    @property
    def slack_app_token(self) -> SecretStr | None: ...

    @property
    def slack_signing_secret(self) -> SecretStr | None: ...

    @property
    def slack_client_id(self) -> str | None: ...

    @property
    def slack_client_secret(self) -> SecretStr | None: ...

    @property
    def slack_api_url(self) -> str: ...

    @property
    def slack_pacing(self) -> bool: ...

    @property
    def slack_access_log(self) -> bool: ...

    @property
    def tigerbird_http_port(self) -> int: ...

    @property
    def database_url(self) -> str: ...

    @property
    def manager_ids(self) -> tuple[str, ...]: ...
