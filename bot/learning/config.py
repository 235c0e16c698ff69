"""Settings of the pooled Thompson policy, with defaults tuned on the simulator."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyConfig:
    """Knobs of `PooledThompsonPolicy`; every sigma is a spread on the log (multiplier) scale.

    The `*_prior_sigma` values seed the priors until there is enough data for the empirical-
    Bayes estimates to take over (prompt quality and channel taste spreads are re-estimated).
    """

    half_life_days: float = 180.0
    # Multiplier on the discounted evidence in the drawn posterior: > 1 sharpens every draw
    # (Thompson over hundreds of prompts otherwise over-explores), < 1 widens.
    temper: float = 6.0
    # The same for the prior's pseudo-counts: new prompts are explored, but not wildly.
    prior_temper: float = 3.0
    quality_prior_sigma: float = 0.5
    category_prior_sigma: float = 0.25
    taste_prior_sigma: float = 0.2
    base_prior_mean: float = 0.08
    base_prior_sigma: float = 0.7
    weekday_prior_sigma: float = 0.1
    # Extra posterior draws used to estimate the logged pick probability (0: log none).
    probability_draws: int = 16
    # Observations between empirical-Bayes refreshes while replaying; a pick always refreshes.
    prior_refresh_every: int = 512
    # Prompts (and channel x category cells) needed before the spreads are estimated from data.
    min_cells_for_spread: int = 20
    # Learn how re-posts and runs of one category engage in a channel (history_effects.py).
    learn_history: bool = True
    # Off by default: both measured on the simulator (benchmarks/selection_preamble.md) and
    # neither paid its way yet; each helps a little in its own world and costs in the others.
    # Estimate overdispersion from residuals and weigh each post as its independent members
    # (dispersion.py).
    learn_dispersion: bool = False
    # Learn channel x prompt taste from re-posts (prompt_taste.py).
    learn_prompt_taste: bool = False
