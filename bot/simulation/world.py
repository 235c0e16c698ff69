"""The simulator's hidden world: true appeal of every prompt in every channel on every day.

`PublicWorld` is what any policy may know (the library, who joins when, audiences); `World`
adds the truth, and only the simulator and the oracle ever hold a `World`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bot.simulation.scenario import PromptsSpec, Scenario

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MAX_P = 0.95


@dataclass(frozen=True)
class PublicWorld:
    """What a policy may know: each prompt's category and arrival day, each channel's join day
    and active audience. No appeal, taste or base rate."""

    category: IntArray
    available_from: IntArray
    join_day: IntArray
    audience: IntArray

    @property
    def channels(self) -> int:
        return int(self.join_day.size)

    @property
    def prompts(self) -> int:
        return int(self.category.size)


@dataclass(frozen=True)
class World:
    """Everything the oracle knows. Day 0 is a Monday; prompt k exists from `available_from[k]`.

    `effect[t, k]` is the category effect plus prompt k's drifting effect on day t;
    `prompt_taste[c, k]` (optional) a channel x prompt taste; `season[t, g]` (optional) the
    seasonal swing of category g on day t.
    """

    seed: int
    days: int
    public: PublicWorld
    effect: FloatArray
    taste: FloatArray
    base: FloatArray
    day_of_week: FloatArray
    prompt_taste: FloatArray | None = None
    season: FloatArray | None = None
    overdispersion: float = 0.0
    # wording_effect[k, w]: log-odds effect of prompt k's wording w (None: one wording each).
    wording_effect: FloatArray | None = None

    @property
    def channels(self) -> int:
        return self.public.channels

    @property
    def prompts(self) -> int:
        return self.public.prompts

    @property
    def category(self) -> IntArray:
        return self.public.category

    @property
    def available_from(self) -> IntArray:
        return self.public.available_from

    @property
    def join_day(self) -> IntArray:
        return self.public.join_day

    @property
    def audience(self) -> IntArray:
        return self.public.audience

    def true_p(self, day: int) -> FloatArray:
        """p[c, k]: chance that one member of channel c responds to prompt k on `day`
        (before the history-dependent fatigue and streak penalties)."""
        log_p = self.effect[day][None, :] + self.taste[:, self.category]
        if self.prompt_taste is not None:
            log_p = log_p + self.prompt_taste
        if self.season is not None:
            log_p = log_p + self.season[day][self.category][None, :]
        scale = self.base * self.day_of_week[day % 7]
        p: FloatArray = np.clip(scale[:, None] * np.exp(log_p), 0.0, MAX_P)
        return p

    def responders(self, day: int, p: FloatArray) -> IntArray:
        """Binomial(audience, p) per channel from common random numbers of (seed, day).

        Member i of channel c responds iff its uniform is below p[c], so every policy that
        posts the same prompt sees the same responders, and a better prompt never sees fewer.
        With overdispersion rho > 0 the post's rate is first drawn from a Beta with mean p and
        intra-post correlation rho (beta-binomial); the Beta draws share a stream per day.
        """
        if self.overdispersion > 0:
            strength = (1.0 - self.overdispersion) / self.overdispersion
            beta_rng = np.random.default_rng([self.seed, 3, day])
            alpha = np.maximum(p * strength, 1e-9)
            beta = np.maximum((1.0 - p) * strength, 1e-9)
            p = beta_rng.beta(alpha, beta)
        uniforms = np.random.default_rng([self.seed, 1, day]).random(int(self.audience.sum()))
        starts = np.concatenate(([0], np.cumsum(self.audience)[:-1]))
        hits = uniforms < np.repeat(p, self.audience)
        counts: IntArray = np.add.reduceat(hits.astype(np.int64), starts)
        return counts


def lower_log_odds(p: FloatArray, penalty: FloatArray) -> FloatArray:
    """p with `penalty` subtracted from its log-odds (exactly, not on the log scale)."""
    odds = p / (1.0 - p) * np.exp(-penalty)
    lowered: FloatArray = odds / (1.0 + odds)
    return lowered


def _prompt_quality(rng: np.random.Generator, spec: PromptsSpec, total: int) -> FloatArray:
    """Each prompt's own starting quality, sd `quality_sigma`, in the chosen shape."""
    sigma = spec.quality_sigma
    if spec.quality_dist == "student_t3":  # heavy tails: t with 3 degrees of freedom, sd sigma
        heavy: FloatArray = rng.standard_t(3.0, total) * sigma / np.sqrt(3.0)
        return heavy
    if spec.quality_dist == "bimodal":  # two clusters at +-0.9 sd, each sqrt(0.19) sd wide
        sign = rng.choice([-1.0, 1.0], size=total)
        split: FloatArray = sigma * (0.9 * sign + np.sqrt(0.19) * rng.normal(0.0, 1.0, total))
        return split
    normal: FloatArray = rng.normal(0.0, sigma, total)
    return normal


def _outside_the_model(
    scenario: Scenario, channels: int, total: int
) -> tuple[FloatArray | None, FloatArray | None]:
    """Prompt taste and seasonality, drawn from their own stream so that the default world (both
    off) is exactly today's."""
    rng = np.random.default_rng([scenario.seed, 4])
    sigma = scenario.channels.prompt_taste_sigma
    prompt_taste = rng.normal(0.0, sigma, (channels, total)) if sigma > 0 else None
    seasons = scenario.seasonality
    season = None
    if seasons.categories > 0 and seasons.amplitude > 0:
        swinging = rng.permutation(scenario.prompts.categories)[: seasons.categories]
        phase = rng.uniform(0.0, 2 * np.pi, seasons.categories)
        angle = 2 * np.pi * np.arange(scenario.days)[:, None] / seasons.period_days + phase
        season = np.zeros((scenario.days, scenario.prompts.categories))
        season[:, swinging] = seasons.amplitude * np.sin(angle)
    return prompt_taste, season


def wording_effects(scenario: Scenario, total: int) -> FloatArray | None:
    """effect[k, w] of prompt k's wording w (w = 0 is the main text), None when off.

    Each effect is N(0, `variant_sigma`) on the log-odds scale, centred per prompt: a prompt's
    quality stays that of its average wording, so posting the first wording is an average
    choice. Drawn from their own stream, so a world with variants off is exactly today's."""
    extra = scenario.prompts.variants_per_prompt
    sigma = scenario.prompts.variant_sigma
    if extra == 0 or sigma <= 0:
        return None
    rng = np.random.default_rng([scenario.seed, 5])
    drawn = rng.normal(0.0, sigma, (total, extra + 1))
    centred: FloatArray = drawn - drawn.mean(axis=1, keepdims=True)
    return centred


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
    start = _prompt_quality(rng, spec, total)
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
    prompt_taste, season = _outside_the_model(scenario, chans.count, total)
    public = PublicWorld(
        category=category.astype(np.int64),
        available_from=available_from,
        join_day=join_day.astype(np.int64),
        audience=audience,
    )
    return World(
        seed=scenario.seed,
        days=days,
        public=public,
        effect=effect,
        taste=taste,
        base=base,
        day_of_week=np.asarray(scenario.day_of_week, dtype=np.float64),
        prompt_taste=prompt_taste,
        season=season,
        overdispersion=scenario.overdispersion,
        wording_effect=wording_effects(scenario, total),
    )
