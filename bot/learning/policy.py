"""Pooled Thompson sampling: the policy the service and the simulator both run.

Model (Poisson approximation of Binomial(audience, p) for small p):
    responders ~ audience * base[channel] * weekday[day] * quality[prompt] * taste[channel, cat]
with Gamma priors: quality pooled across every channel and centred on its category (empirical
Bayes), taste centred on 1 and shrunk hard, base centred on the typical channel. Each factor is
updated incrementally with the exposure the other factors' current means imply, and every sum
is discounted with a half-life. A young channel's first outcomes are re-credited as its base
rate firms up (see attribution.py). A pick draws once from each eligible prompt's posterior and
from the channel's taste for each category, and posts the best draw. The drawn posteriors are
sharpened (evidence x `temper`, prior x `prior_temper`): with hundreds of prompts and dozens of
channels drawing every day, plain Thompson sampling over-explores (see benchmarks/selection.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from bot.learning.attribution import Attribution, Credit
from bot.learning.config import PolicyConfig
from bot.learning.history_effects import HistoryEffects
from bot.learning.priors import Priors, empirical_priors
from bot.learning.selection import Candidate, Outcome, Pick, PickContext
from bot.learning.stats import FloatArray, IntArray, PooledStats

_SECONDS_PER_DAY = 86_400.0


def day_number(at: datetime) -> float:
    """Days since the Unix epoch (naive datetimes are read as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.timestamp() / _SECONDS_PER_DAY


class PooledThompsonPolicy:
    """Thompson sampling over prompt quality pooled across channels, with channel x category taste.

    `Pick.probability` is an estimate of the chance this pick had, not the exact Thompson
    probability: the share of `config.probability_draws` further independent posterior draws in
    which the picked prompt also wins, counting the draw that picked it: (wins + 1) / (draws + 1).
    With `probability_draws = 0` no probability is logged (None).
    """

    def __init__(self, rng: np.random.Generator, config: PolicyConfig | None = None) -> None:
        self.config = config or PolicyConfig()
        self._rng = rng
        self._stats = PooledStats(self.config.half_life_days)
        self._attribution = Attribution(self._stats)
        self._history = HistoryEffects(self.config.half_life_days)
        self._priors: Priors | None = None
        self._unrefreshed = 0

    # --- picking -----------------------------------------------------------------------------

    def pick(self, candidates: Sequence[Candidate], context: PickContext) -> Pick:
        """Draw once per eligible prompt and return the best; only ever one of `candidates`."""
        if not candidates:
            raise ValueError("no eligible prompt to pick from")
        stats = self._stats
        index = np.fromiter(
            (stats.prompt(c.prompt_id, c.category) for c in candidates),
            dtype=np.int64,
            count=len(candidates),
        )
        channel = stats.channel(context.channel_key)
        priors = self._fresh_priors(day_number(context.at))
        weight = self.config.temper * stats.discount(day_number(context.at))
        quality_shape, quality_rate = self._quality_posterior(index, priors, weight)
        taste_shape, taste_rate = self._taste_posterior(channel, priors, weight)
        categories = stats.prompt_category[index]

        scores = self._draw(quality_shape, quality_rate, taste_shape, taste_rate, categories, 1)
        if self.config.learn_history:
            scores = scores * self._history.factors(
                channel, index, categories, day_number(context.at)
            )
        best = int(np.argmax(scores[0]))
        probability = None
        draws = self.config.probability_draws
        if draws > 0:
            extra = self._draw(
                quality_shape, quality_rate, taste_shape, taste_rate, categories, draws
            )
            if self.config.learn_history:
                extra = extra * self._history.factors(
                    channel, index, categories, day_number(context.at)
                )
            wins = int(np.count_nonzero(np.argmax(extra, axis=1) == best))
            probability = (wins + 1) / (draws + 1)
        return Pick(candidates[best].prompt_id, probability, draws if draws > 0 else None)

    def _draw(
        self,
        quality_shape: FloatArray,
        quality_rate: FloatArray,
        taste_shape: FloatArray,
        taste_rate: FloatArray,
        categories: IntArray,
        rows: int,
    ) -> FloatArray:
        quality = self._rng.gamma(quality_shape, size=(rows, quality_shape.size)) / quality_rate
        taste = self._rng.gamma(taste_shape, size=(rows, taste_shape.size)) / taste_rate
        scores: FloatArray = quality * taste[:, categories]
        return scores

    def _quality_posterior(
        self, index: IntArray, priors: Priors, weight: float
    ) -> tuple[FloatArray, FloatArray]:
        categories = self._stats.prompt_category[index]
        shape = priors.quality_shape[categories] * self.config.prior_temper
        rate = shape / priors.quality_mean[categories]
        return shape + weight * self._stats.prompt_y[index], rate + weight * self._stats.prompt_e[
            index
        ]

    def _taste_posterior(
        self, channel: int, priors: Priors, weight: float
    ) -> tuple[FloatArray, FloatArray]:
        g = self._stats.category_count
        shape = priors.taste_shape * self.config.prior_temper
        return (
            shape + weight * self._stats.taste_y[channel, :g],
            shape + weight * self._stats.taste_e[channel, :g],
        )

    def _fresh_priors(self, day: float) -> Priors:
        if self._priors is None or self._unrefreshed > 0:
            self._priors = empirical_priors(self._stats, self.config, self._stats.discount(day))
            self._unrefreshed = 0
        return self._priors

    def _priors_for_update(self, day: float) -> Priors:
        needs_refresh = self._unrefreshed >= self.config.prior_refresh_every
        if self._priors is None or needs_refresh:
            return self._fresh_priors(day)
        return self._priors

    # --- learning ----------------------------------------------------------------------------

    def observe(self, outcome: Outcome) -> None:
        """Fold one closed post into the statistics (constant time)."""
        stats = self._stats
        day = day_number(outcome.at)
        k = stats.prompt(outcome.prompt_id, outcome.category)
        c = stats.channel(outcome.channel_key)
        g = int(stats.prompt_category[k])
        # The weekday as the channel lived it: `at` carries the channel's own timezone.
        w = outcome.at.weekday()
        priors = self._priors_for_update(day)
        stats.weight(day)  # re-bases the stored sums first if this outcome is far ahead
        credit = Credit(k, c, g, w, day, float(outcome.responders), float(outcome.audience))
        self._attribution.add(credit, priors)
        discount = stats.discount(day)
        base = (priors.base_shape + discount * stats.channel_y.item(c)) / (
            priors.base_shape / priors.base_mean + discount * stats.channel_e.item(c)
        )
        self._history.observe(c, k, g, day, credit.responders, credit.channel_e * base)
        self._unrefreshed += 1

    # --- persistence -------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The learned statistics (the random generator's state is not included)."""
        return {
            "stats": self._stats.state_dict(),
            "attribution": self._attribution.state_dict(),
            "history": self._history.state_dict(),
        }

    def load_state(self, state: dict[str, Any]) -> None:
        """Restore statistics saved by `state_dict`."""
        self._stats.load_state(state["stats"])
        self._attribution.load_state(state["attribution"])
        self._history = HistoryEffects(self.config.half_life_days)
        if "history" in state:
            self._history.load_state(state["history"])
        self._priors = None
        self._unrefreshed = 0
