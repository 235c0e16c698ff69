"""Benchmark metrics on expected engagement (the true p of each post, averaged per channel-day)."""

from __future__ import annotations

import numpy as np

from bot.simulation.simulator import SimulationResult
from bot.simulation.world import BoolArray, FloatArray

COLD_DAYS = 30
BELOW_RANDOM_MARGIN = 0.05


def _headroom(policy: float, random: float, oracle: float) -> float:
    gap = oracle - random
    return float((policy - random) / gap) if gap > 0 else float("nan")


def _cold_mask(result: SimulationResult) -> BoolArray:
    """The first 30 days of every channel that joined after day 0."""
    days = np.arange(result.scenario.days)[None, :]
    join = result.world.join_day[:, None]
    mask: BoolArray = (join > 0) & (days >= join) & (days < join + COLD_DAYS)
    return mask


def _total(values: FloatArray, mask: BoolArray | None = None) -> float:
    return float(np.nansum(values if mask is None else np.where(mask, values, np.nan)))


def policy_metrics(result: SimulationResult) -> dict[str, dict[str, float]]:
    """Every policy's headroom_365, headroom_cold_30, ratios, channels_below_random, violations."""
    values = result.values
    random, oracle = values["random"], values["oracle"]
    cold = _cold_mask(result)
    seen = ~np.isnan(random).all(axis=1)  # channels that joined within the run
    random_per_channel = np.nanmean(random[seen], axis=1)
    metrics: dict[str, dict[str, float]] = {}
    for name, v in values.items():
        per_channel = np.nanmean(v[seen], axis=1)
        below = per_channel < (1.0 - BELOW_RANDOM_MARGIN) * random_per_channel
        entry = {
            "mean_engagement": float(np.nanmean(v)),
            "headroom_365": _headroom(_total(v), _total(random), _total(oracle)),
            "headroom_cold_30": _headroom(
                _total(v, cold), _total(random, cold), _total(oracle, cold)
            ),
            "ratio_vs_random": _total(v) / _total(random),
            "channels_below_random": float(np.mean(below)),
            "repeat_violations": float(result.repeat_violations[name]),
        }
        if "round_robin" in values:
            entry["ratio_vs_round_robin"] = _total(v) / _total(values["round_robin"])
        metrics[name] = entry
    return metrics
