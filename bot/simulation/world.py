"""The simulator's hidden world: true appeal of every prompt in every channel on every day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bot.simulation.scenario import Scenario

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MAX_P = 0.95


@dataclass(frozen=True)
class World:
    """Everything the oracle knows. Day 0 is a Monday; prompt k exists from `available_from[k]`.

    `effect[t, k]` is the category effect plus prompt k's drifting effect on day t.
    """

    seed: int
    days: int
    category: IntArray
    available_from: IntArray
    effect: FloatArray
    taste: FloatArray
    base: FloatArray
    audience: IntArray
    join_day: IntArray
    day_of_week: FloatArray

    @property
    def channels(self) -> int:
        return int(self.base.size)

    @property
    def prompts(self) -> int:
        return int(self.category.size)

    def true_p(self, day: int) -> FloatArray:
        """p[c, k]: chance that one member of channel c responds to prompt k on `day`."""
        log_p = self.effect[day][None, :] + self.taste[:, self.category]
        scale = self.base * self.day_of_week[day % 7]
        p: FloatArray = np.clip(scale[:, None] * np.exp(log_p), 0.0, MAX_P)
        return p

    def responders(self, day: int, p: FloatArray) -> IntArray:
        """Binomial(audience, p) per channel from common random numbers of (seed, day).

        Member i of channel c responds iff its uniform is below p[c], so every policy that
        posts the same prompt sees the same responders, and a better prompt never sees fewer.
        """
        uniforms = np.random.default_rng([self.seed, 1, day]).random(int(self.audience.sum()))
        starts = np.concatenate(([0], np.cumsum(self.audience)[:-1]))
        hits = uniforms < np.repeat(p, self.audience)
        counts: IntArray = np.add.reduceat(hits.astype(np.int64), starts)
        return counts


def build_world(scenario: Scenario) -> World:
    """Draw a hidden world from the scenario (deterministic in `scenario.seed`)."""
    rng = np.random.default_rng([scenario.seed, 0])
    spec, chans, drift = scenario.prompts, scenario.channels, scenario.drift
    days = scenario.days
    weeks = (days - 1) // 7
    per_week = scenario.new_prompts_per_week
    new = per_week * weeks
    total = spec.count + new
    available_from = np.concatenate(
        [
            np.zeros(spec.count, np.int64),
            7 * (1 + np.arange(new, dtype=np.int64) // max(1, per_week)),
        ]
    )
    category = rng.integers(spec.categories, size=total)
    category_effect = rng.normal(0.0, spec.category_sigma, spec.categories)
    start = rng.normal(0.0, spec.quality_sigma, total)
    steps = rng.normal(0.0, drift.walk_sigma_per_year / np.sqrt(365.0), (days, total))
    steps[0] = 0.0
    walk = start[None, :] + np.cumsum(steps, axis=0)
    shifted = rng.random(total) < drift.shift_fraction
    sign = rng.choice([-1.0, 1.0], size=total)
    if 0 <= drift.shift_day < days:
        walk[drift.shift_day :] += np.where(shifted, sign * drift.shift_magnitude, 0.0)[None, :]
    effect = category_effect[category][None, :] + walk

    audience_spec = chans.audience
    audience = np.clip(
        np.rint(rng.lognormal(np.log(audience_spec.median), audience_spec.sigma, chans.count)),
        audience_spec.min,
        audience_spec.max,
    ).astype(np.int64)
    base = rng.lognormal(np.log(chans.base_rate.median), chans.base_rate.sigma, chans.count)
    taste = rng.normal(0.0, chans.taste_sigma, (chans.count, spec.categories))
    late = chans.late_join
    joins_late = rng.random(chans.count) < late.fraction
    join_day = np.where(joins_late, rng.integers(late.from_day, late.to_day + 1, chans.count), 0)
    return World(
        seed=scenario.seed,
        days=days,
        category=category.astype(np.int64),
        available_from=available_from,
        effect=effect,
        taste=taste,
        base=base,
        audience=audience,
        join_day=join_day.astype(np.int64),
        day_of_week=np.asarray(scenario.day_of_week, dtype=np.float64),
    )
