"""What the pooled model expects of one post before seeing it, and how unsure it is.

The prediction is the product of the factors' posterior means; its relative variance is the
sum of their posterior relative variances (1 / Gamma shape). Both are what the dispersion and
prompt-taste estimates compare an outcome against.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.learning.priors import Priors
from bot.learning.stats import PooledStats


@dataclass(frozen=True)
class Prediction:
    """`quality` the prompt's mean multiplier; `exposure` audience x the channel's base, weekday
    and category taste (responders expected = quality x exposure); `shared_variance` the relative
    variance of the prompt's and channel's factors, `own_variance` the part particular to this
    prompt (its quality and the channel's taste for its category)."""

    quality: float
    exposure: float
    shared_variance: float
    own_variance: float


def predict(
    stats: PooledStats, priors: Priors, prompt: int, channel: int, weekday: int, day: float,
    audience: float,
) -> Prediction:  # fmt: skip
    """The model's expectation of a post of `prompt` in `channel`, from the sums discounted to
    `day` (the outcome itself not yet included)."""
    d = stats.discount(day)
    g = int(stats.prompt_category[prompt])
    in_range = g < priors.quality_shape.size
    prior_shape = float(priors.quality_shape[g]) if in_range else 1.0
    prior_mean = float(priors.quality_mean[g]) if in_range else 1.0
    quality_shape = prior_shape + d * stats.prompt_y.item(prompt)
    quality = quality_shape / (prior_shape / prior_mean + d * stats.prompt_e.item(prompt))
    taste_shape = priors.taste_shape + d * stats.taste_y.item(channel, g)
    taste = taste_shape / (priors.taste_shape + d * stats.taste_e.item(channel, g))
    base_shape = priors.base_shape + d * stats.channel_y.item(channel)
    base = base_shape / (priors.base_shape / priors.base_mean + d * stats.channel_e.item(channel))
    weekday_mean = (priors.weekday_shape + d * stats.weekday_y.item(weekday)) / (
        priors.weekday_shape + d * stats.weekday_e.item(weekday)
    )
    return Prediction(
        quality=quality,
        exposure=audience * base * weekday_mean * taste,
        shared_variance=1.0 / quality_shape + 1.0 / taste_shape + 1.0 / base_shape,
        own_variance=1.0 / quality_shape + 1.0 / taste_shape,
    )
