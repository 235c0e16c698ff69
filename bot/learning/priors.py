"""Empirical-Bayes priors of the pooled model, recomputed from the sufficient statistics.

Prompt quality is a multiplier with a Gamma prior centred on its category's mean; taste is a
channel x category multiplier centred on 1; a channel's base rate is centred on the typical
channel's. Spreads are estimated by moments (observed spread minus Poisson noise) once
enough prompts have data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.learning.config import PolicyConfig
from bot.learning.stats import FloatArray, PooledStats

_MIN_SIGMA, _MAX_SIGMA = 0.05, 1.0


@dataclass(frozen=True)
class Priors:
    """Gamma priors: per-category prompt mean and shape; taste shape; channel base mean, shape."""

    quality_mean: FloatArray
    quality_shape: FloatArray
    taste_shape: float
    base_mean: float
    base_shape: float
    weekday_shape: float


def _shape(sigma: float) -> float:
    return 1.0 / sigma**2


def _spread(
    log_ratio: FloatArray, y: FloatArray, weight: FloatArray, fallback: float, n: int
) -> float:
    """Between-cell sigma by moments: weighted spread of log ratios minus their Poisson noise."""
    solid = weight > 0.5
    if int(solid.sum()) < n:
        return fallback
    deviations = log_ratio[solid]
    noise = float(np.mean(1.0 / (y[solid] + 1.0)))
    variance = float(np.mean(deviations**2)) - noise
    return float(np.clip(np.sqrt(max(variance, 0.0)), _MIN_SIGMA, _MAX_SIGMA))


def empirical_priors(stats: PooledStats, config: PolicyConfig, discount: float) -> Priors:
    """Priors re-estimated from the statistics discounted by `discount`."""
    k, g, c = stats.prompt_count, max(stats.category_count, 1), len(stats.channel_index)
    y = stats.prompt_y[:k] * discount
    e = stats.prompt_e[:k] * discount
    categories = stats.prompt_category[:k]
    quality_sigma = config.quality_prior_sigma
    pseudo = _shape(quality_sigma)
    weight = e / (e + pseudo)
    log_ratio = np.log((y + 1.0) / (e + 1.0))
    strength = (quality_sigma / config.category_prior_sigma) ** 2
    weight_sum = np.bincount(categories, weights=weight, minlength=g)
    category_log_mean = np.bincount(categories, weights=weight * log_ratio, minlength=g) / (
        weight_sum + strength
    )
    quality_sigma = _spread(
        log_ratio - category_log_mean[categories],
        y,
        weight,
        quality_sigma,
        config.min_cells_for_spread,
    )
    # A prompt's prior is its category's, widened by how unsure the category mean still is.
    category_variance = quality_sigma**2 / (weight_sum + strength)
    quality_shape = np.asarray(1.0 / (quality_sigma**2 + category_variance), dtype=np.float64)
    quality_mean = np.exp(category_log_mean)

    taste_y = stats.taste_y[:c, :g] * discount
    taste_e = stats.taste_e[:c, :g] * discount
    taste_pseudo = _shape(config.taste_prior_sigma)
    taste_weight = taste_e / (taste_e + taste_pseudo)
    taste_sigma = _spread(
        np.log((taste_y + 1.0) / (taste_e + 1.0)).ravel(),
        taste_y.ravel(),
        taste_weight.ravel(),
        config.taste_prior_sigma,
        config.min_cells_for_spread,
    )
    return Priors(
        quality_mean=quality_mean,
        quality_shape=quality_shape,
        taste_shape=_shape(taste_sigma),
        base_mean=_typical_base(stats, config, discount),
        base_shape=_shape(config.base_prior_sigma),
        weekday_shape=_shape(config.weekday_prior_sigma),
    )


def _typical_base(stats: PooledStats, config: PolicyConfig, discount: float) -> float:
    """Geometric mean of the channels' base rates, each weighted by how much data it has."""
    c = len(stats.channel_index)
    y = stats.channel_y[:c] * discount
    e = stats.channel_e[:c] * discount
    weight = e / (e + 1.0)
    if c == 0 or float(weight.sum()) < 1.0:
        return config.base_prior_mean
    log_rate = np.log((y + 0.5) / (e + 0.5 / config.base_prior_mean))
    return float(np.exp(np.sum(weight * log_rate) / weight.sum()))
