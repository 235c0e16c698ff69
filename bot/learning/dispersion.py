"""Overdispersion: how much noisier one post's responders are than independent members.

Members do not respond independently: a post catches on or falls flat as a whole. Under the
beta-binomial model var(y) = n p (1 - p) (1 + (n - 1) rho), so a post seen by n members is
worth n / (1 + (n - 1) rho) independent ones. `rho` is estimated from the policy's own
prequential residuals (never from the world's truth): before an outcome is folded in, the
model's prediction `mu` is known, and the relative residual y / mu - 1 has variance
(1 - p) / mu from counting, the model's known uncertainty about the post's prompt, and
rho (1 - p) (n - 1) / mu from overdispersion. Whatever the model
gets wrong about a channel for weeks (its base rate, a season, the policy's own selection bias)
is shared by consecutive posts there, so the estimate uses the difference of the residuals of
a channel's consecutive posts, where that cancels and only per-post noise is left. In a binomial
world the estimate stays near 0, so every post keeps its full weight.
"""

from __future__ import annotations

from typing import Any

MAX_RHO = 0.5
# Posts whose prediction is still this unsure (a new prompt, a young channel) are left out.
MAX_MODEL_VARIANCE = 0.1
_MAX_P = 0.95


class Dispersion:
    """Running moment estimate of rho from differences of consecutive residuals per channel."""

    def __init__(self, min_pairs: int = 300) -> None:
        self._min_pairs = min_pairs
        self._last: dict[int, tuple[float, float, float]] = {}  # residual, its variance, slope
        self._numerator = 0.0
        self._denominator = 0.0
        self._pairs = 0

    @property
    def rho(self) -> float:
        """The estimated correlation of responders to one post (0 until enough posts)."""
        if self._pairs < self._min_pairs or self._denominator <= 0.0:
            return 0.0
        return min(max(self._numerator / self._denominator, 0.0), MAX_RHO)

    def observe(
        self, channel: int, responders: float, audience: float, mu: float, variance: float
    ) -> None:
        """Fold in one post of `channel`: `mu` the model's prediction, `variance` the relative
        variance of what is particular to this post's prompt (its quality, the channel's taste
        for it and its category)."""
        if audience < 2.0 or mu <= 0.0 or variance > MAX_MODEL_VARIANCE:
            return
        p = min(mu / audience, _MAX_P)
        residual = responders / mu - 1.0
        noise = (1.0 - p) / mu  # relative variance from counting members
        slope = noise * (audience - 1.0)  # relative variance per unit of rho
        last = self._last.get(channel)
        self._last[channel] = (residual, noise + variance, slope)
        if last is None:
            return
        before, known_before, slope_before = last
        self._numerator += (residual - before) ** 2 - noise - variance - known_before
        self._denominator += slope + slope_before
        self._pairs += 1

    def effective_share(self, audience: float) -> float:
        """The share of a post's audience that counts as independent evidence."""
        return 1.0 / (1.0 + max(audience - 1.0, 0.0) * self.rho)

    def state_dict(self) -> dict[str, Any]:
        return {
            "last": {c: list(v) for c, v in self._last.items()},
            "moments": (self._numerator, self._denominator, self._pairs),
        }

    def load_state(self, state: dict[str, Any]) -> None:
        self._last = {
            int(c): (float(v[0]), float(v[1]), float(v[2])) for c, v in state["last"].items()
        }
        numerator, denominator, pairs = state["moments"]
        self._numerator, self._denominator = float(numerator), float(denominator)
        self._pairs = int(pairs)
