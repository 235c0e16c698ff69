"""The settings the Discord adapter reads, as a Protocol: the composition root (bot.app) hands
its settings in, and the adapter never imports the application's settings module."""

from __future__ import annotations

from typing import Protocol

from pydantic import SecretStr


class DiscordSettings(Protocol):
    """DISCORD_* token, endpoints, sharding and request rate, and the managers."""

    @property
    def discord_token(self) -> SecretStr | None: ...

    @property
    def discord_api_url(self) -> str | None: ...

    @property
    def discord_gateway_url(self) -> str | None: ...

    @property
    def discord_shard_count(self) -> int | None: ...

    @property
    def discord_shard_ids(self) -> list[int] | None: ...

    @property
    def manager_ids(self) -> tuple[str, ...]: ...

    @property
    def discord_request_rate(self) -> float:
        """Requests a second this process may send (DISCORD_REQUESTS_PER_SECOND)."""
        ...
