"""Overdispersion: how much noisier one post's responders are than independent members.

Members do not respond independently: a post catches on or falls flat as a whole. Under the
beta-binomial model var(y) = n p (1 - p) (1 + (n - 1) rho), so a post seen by n members is
worth n / (1 + (n - 1) rho) independent ones. `rho` is estimated by moments from the
policy's own prequential residuals (never from the world's truth): before an outcome is folded
in, the model's prediction `mu` and its own uncertainty `v` (relative variance) are known, and
(y - mu)^2 - mu (1 - p) - mu^2 v has mean rho mu (1 - p) (n - 1). In a binomial world the
estimate stays near 0, so every post keeps its full weight.
"""

from __future__ import annotations

from typing import Any

MAX_RHO = 0.5
_MAX_P = 0.95


class Dispersion:
    """Running moment estimate of rho, one outcome at a time: the summed excess variance over
    the summed variance one unit of rho would add. (Weighting each outcome by its expected
    variance instead leans on the prediction's own errors and overshoots several-fold.)"""

    def __init__(self, min_outcomes: int = 500) -> None:
        self._min_outcomes = min_outcomes
        self._numerator = 0.0
        self._denominator = 0.0
        self._count = 0

    @property
    def rho(self) -> float:
        """The estimated correlation of responders to one post (0 until enough outcomes)."""
        if self._count < self._min_outcomes or self._denominator <= 0.0:
            return 0.0
        return min(max(self._numerator / self._denominator, 0.0), MAX_RHO)

    def observe(self, responders: float, audience: float, mu: float, variance: float) -> None:
        """Fold in one outcome: `mu` the model's prediction, `variance` its relative variance."""
        if audience < 2.0 or mu <= 0.0:
            return
        p = min(mu / audience, _MAX_P)
        binomial = mu * (1.0 - p)
        self._numerator += (responders - mu) ** 2 - binomial - mu * mu * variance
        self._denominator += binomial * (audience - 1.0)  # how much var(y) grows per unit rho
        self._count += 1

    def effective_share(self, audience: float) -> float:
        """The share of a post's audience that counts as independent evidence."""
        return 1.0 / (1.0 + max(audience - 1.0, 0.0) * self.rho)

    def state_dict(self) -> dict[str, Any]:
        return {
            "numerator": self._numerator,
            "denominator": self._denominator,
            "count": self._count,
        }

    def load_state(self, state: dict[str, Any]) -> None:
        self._numerator = float(state["numerator"])
        self._denominator = float(state["denominator"])
        self._count = int(state["count"])
