"""How delivery is tuned (batch size, concurrency per platform, leases, retries); the
defaults are what `tigerbird run` uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core.domain import PlatformName
from bot.delivery.holdout import DEFAULT_HOLDOUT


@dataclass(frozen=True)
class DeliveryConfig:
    """How delivery is tuned; the defaults are what `tigerbird run` uses."""

    batch_size: int = 200
    concurrency: int = 20  # posts in flight per platform, unless set below
    # A Slack post is a chain of sequential requests (post, then each choice reaction), and
    # Slack's limits are per workspace, so more of them can be in flight at once.
    platform_concurrency: tuple[tuple[PlatformName, int], ...] = ((PlatformName.SLACK, 100),)
    on_time_grace: timedelta = timedelta(minutes=10)
    claim_lease: timedelta = timedelta(minutes=2)
    # A worker that saw its own post fail transiently retries it this soon, without waiting
    # for the lease that protects other workers' claims.
    retry_delay: timedelta = timedelta(seconds=20)
    max_attempts: int = 5
    # Share of slots given to a uniform pick (TIGERBIRD_HOLDOUT; a community may override it).
    holdout: float = DEFAULT_HOLDOUT

    def concurrency_for(self, platform: PlatformName) -> int:
        return dict(self.platform_concurrency).get(platform, self.concurrency)
