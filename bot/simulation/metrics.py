"""Benchmark metrics on expected engagement (the true p of each post, averaged per channel-day)."""

from __future__ import annotations

import numpy as np

from bot.simulation.simulator import SimulationResult
from bot.simulation.world import BoolArray, FloatArray

COLD_DAYS = 30
BELOW_RANDOM_MARGIN = 0.05
# new_top_discovery_days: prompts in the top 5 % on arrival, posted in a quarter of the channels
TOP_SHARE = 0.05
CHANNEL_SHARE = 0.25
# Only prompts that arrive at least this many days before the end count (not yet discovered by
# the end of the run counts as never).
DISCOVERY_MIN_DAYS_LEFT = 60


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


def new_top_prompts(result: SimulationResult) -> list[int]:
    """Prompts added mid-run whose true quality on arrival (category plus own effect) is in the
    top 5 % of the library that day, arriving early enough to be judged."""
    world = result.world
    last_arrival = result.scenario.days - DISCOVERY_MIN_DAYS_LEFT
    top = []
    for k in np.flatnonzero((world.available_from > 0) & (world.available_from <= last_arrival)):
        day = int(world.available_from[k])
        quality = world.effect[day, world.available_from <= day]
        if world.effect[day, k] >= np.quantile(quality, 1.0 - TOP_SHARE):
            top.append(int(k))
    return top


def discovery_days(result: SimulationResult, name: str, prompts: list[int]) -> float:
    """Median days from arrival until the prompt was posted in a quarter of the channels active
    on its arrival day (inf when most never get there; NaN when there is no such prompt)."""
    world, first_post = result.world, result.first_post[name]
    days = []
    for k in prompts:
        arrival = int(world.available_from[k])
        active = world.join_day <= arrival
        needed = max(1, int(np.ceil(CHANNEL_SHARE * int(active.sum()))))
        reached = np.sort(first_post[active, k])[needed - 1]
        days.append(float(reached - arrival))
    return float(np.median(days)) if days else float("nan")


def policy_metrics(result: SimulationResult) -> dict[str, dict[str, float]]:
    """Every policy's headroom_365, headroom_cold_30, ratios, channels_below_random, violations,
    new_top_discovery_days."""
    values = result.values
    random, oracle = values["random"], values["oracle"]
    cold = _cold_mask(result)
    seen = ~np.isnan(random).all(axis=1)  # channels that joined within the run
    random_per_channel = np.nanmean(random[seen], axis=1)
    metrics: dict[str, dict[str, float]] = {}
    top = new_top_prompts(result)
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
            "new_top_discovery_days": discovery_days(result, name, top),
        }
        if "round_robin" in values:
            entry["ratio_vs_round_robin"] = _total(v) / _total(values["round_robin"])
        metrics[name] = entry
    return metrics
