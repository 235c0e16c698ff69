"""Pooled Thompson sampling: the policy the service and the simulator both run.

Model (Poisson approximation of Binomial(audience, p) for small p):
    responders ~ audience * base[channel] * weekday[day] * quality[prompt] * taste[channel, cat]
                 * cell[channel, prompt]
with Gamma priors: quality pooled across every channel and centred on its category (empirical
Bayes), taste centred on 1 and shrunk hard, base centred on the typical channel. Each factor is
updated incrementally with the exposure the other factors' current means imply, and every sum
is discounted with a half-life. A young channel's first outcomes are re-credited as its base
rate firms up (see attribution.py). Each post counts as its independent members only: the
responders' overdispersion is estimated from residuals (dispersion.py). The channel x prompt
`cell` taste enters once re-posts show there is some (prompt_taste.py). A pick draws once from
each eligible prompt's posterior, from the channel's taste for each category and for each prompt,
and posts the best draw. The drawn posteriors are sharpened (evidence x `temper`, prior x
`prior_temper`): with hundreds of prompts and dozens of channels drawing every day, plain
Thompson sampling over-explores (see benchmarks/selection.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from bot.learning.attribution import Attribution, Credit
from bot.learning.config import PolicyConfig
from bot.learning.dispersion import Dispersion
from bot.learning.history_effects import HistoryEffects
from bot.learning.prediction import predict
from bot.learning.priors import Priors, empirical_priors
from bot.learning.prompt_taste import PromptTaste
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
        self._dispersion = Dispersion()
        self._prompt_taste = PromptTaste(self.config.half_life_days)
        self._priors: Priors | None = None
        self._unrefreshed = 0

    @property
    def overdispersion(self) -> float:
        """The responders' correlation within one post learned so far (0: binomial counts)."""
        return self._dispersion.rho if self.config.learn_dispersion else 0.0

    @property
    def prompt_taste_variance(self) -> float:
        """The channel x prompt taste variance learned so far (0: no such taste)."""
        return self._prompt_taste.variance if self.config.learn_prompt_taste else 0.0

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
        day = day_number(context.at)
        priors = self._fresh_priors(day)
        weight = self.config.temper * stats.discount(day)
        quality_shape, quality_rate = self._quality_posterior(index, priors, weight)
        taste_shape, taste_rate = self._taste_posterior(channel, priors, weight)
        categories = stats.prompt_category[index]
        cell = self._cell_posterior(channel, index, day, quality_shape / quality_rate)
        posterior = (quality_shape, quality_rate, taste_shape, taste_rate, categories, cell)
        history = (
            self._history.factors(channel, index, categories, day)
            if self.config.learn_history
            else None
        )

        best = int(np.argmax(self._draw(*posterior, history, 1)[0]))
        probability = None
        draws = self.config.probability_draws
        if draws > 0:
            extra = self._draw(*posterior, history, draws)
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
        cell: tuple[FloatArray, FloatArray] | None,
        history: FloatArray | None,
        rows: int,
    ) -> FloatArray:
        quality = self._rng.gamma(quality_shape, size=(rows, quality_shape.size)) / quality_rate
        taste = self._rng.gamma(taste_shape, size=(rows, taste_shape.size)) / taste_rate
        scores: FloatArray = quality * taste[:, categories]
        if cell is not None:
            cell_shape, cell_rate = cell
            scores *= self._rng.gamma(cell_shape, size=(rows, cell_shape.size)) / cell_rate
        if history is not None:
            scores *= history
        return scores

    def _cell_posterior(
        self, channel: int, index: IntArray, day: float, quality: FloatArray
    ) -> tuple[FloatArray, FloatArray] | None:
        """The channel x prompt taste of each candidate (None while there is no such taste)."""
        variance = self.prompt_taste_variance
        if variance <= 0.0:
            return None
        y, x = self._prompt_taste.evidence(channel, index, day)
        shape = self.config.prior_temper / variance
        temper = self.config.temper
        return shape + temper * y, shape + temper * quality * x

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
        responders, audience = float(outcome.responders), float(outcome.audience)
        share, cell_mean = 1.0, 1.0
        if self.config.learn_dispersion or self.config.learn_prompt_taste:
            prediction = predict(stats, priors, k, c, w, day, audience)
            cell_mean, cell_variance = self._cell_belief(c, k, day, prediction.quality)
            # What re-posts and category runs are known to do, so residuals are net of them.
            history = 1.0
            if self.config.learn_history:
                history = self._history.factors(c, np.array([k]), np.array([g]), day).item(0)
            if self.config.learn_dispersion:
                mu = prediction.quality * prediction.exposure * cell_mean * history
                variance = prediction.own_variance + cell_variance
                self._dispersion.observe(c, responders, audience, mu, variance)
                share = self._dispersion.effective_share(audience)
            credit = Credit(k, c, g, w, day, responders * share, audience * share)
            self._attribution.add(credit, priors)
            if self.config.learn_prompt_taste:
                self._prompt_taste.observe(
                    c,
                    k,
                    day,
                    credit.responders,
                    credit.prompt_e * history,
                    prediction.quality,
                    prediction.shared_variance,
                )
        else:
            credit = Credit(k, c, g, w, day, responders, audience)
            self._attribution.add(credit, priors)
        discount = stats.discount(day)
        base = (priors.base_shape + discount * stats.channel_y.item(c)) / (
            priors.base_shape / priors.base_mean + discount * stats.channel_e.item(c)
        )
        expected = credit.channel_e * base * cell_mean
        self._history.observe(c, k, g, day, credit.responders, expected)
        self._unrefreshed += 1

    def _cell_belief(
        self, channel: int, prompt: int, day: float, quality: float
    ) -> tuple[float, float]:
        """The mean and relative variance of a channel's taste for one prompt, before the post."""
        variance = self.prompt_taste_variance
        if variance <= 0.0:
            return 1.0, 0.0
        shape = 1.0 / variance
        y, x = self._prompt_taste.evidence(channel, np.array([prompt]), day)
        return (shape + y.item(0)) / (shape + quality * x.item(0)), 1.0 / (shape + y.item(0))

    # --- persistence -------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The learned statistics (the random generator's state is not included)."""
        return {
            "stats": self._stats.state_dict(),
            "attribution": self._attribution.state_dict(),
            "history": self._history.state_dict(),
            "dispersion": self._dispersion.state_dict(),
            "prompt_taste": self._prompt_taste.state_dict(),
        }

    def load_state(self, state: dict[str, Any]) -> None:
        """Restore statistics saved by `state_dict`."""
        self._stats.load_state(state["stats"])
        self._attribution.load_state(state["attribution"])
        self._history = HistoryEffects(self.config.half_life_days)
        if "history" in state:
            self._history.load_state(state["history"])
        self._dispersion = Dispersion()
        if "dispersion" in state:
            self._dispersion.load_state(state["dispersion"])
        self._prompt_taste = PromptTaste(self.config.half_life_days)
        if "prompt_taste" in state:
            self._prompt_taste.load_state(state["prompt_taste"])
        self._priors = None
        self._unrefreshed = 0
