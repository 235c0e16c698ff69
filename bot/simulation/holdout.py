"""The production holdout in the simulator: which slots go to a uniform pick, and the log of
every post of a policy that uses one (what the lift estimator sees, plus the truth to judge it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.simulation.world import BoolArray, FloatArray, IntArray


def holdout_slots(seed: int, day: int, channels: int, share: float) -> BoolArray:
    """Channels whose slot on `day` is held out (common to every policy: same seed, same day)."""
    if share <= 0:
        return np.zeros(channels, dtype=np.bool_)
    held: BoolArray = np.random.default_rng([seed, 5, day]).random(channels) < share
    return held


def uniform_picks(seed: int, day: int, eligible: BoolArray) -> IntArray:
    """A uniform draw among each channel's eligible prompts (-1 where none is eligible)."""
    scores = np.random.default_rng([seed, 6, day]).random(eligible.shape)
    picks: IntArray = np.where(eligible, scores, -np.inf).argmax(axis=1)
    picks[~eligible.any(axis=1)] = -1
    return picks


@dataclass
class HoldoutLog:
    """One row per post. Observed: arm (True = holdout), responders, audience, the pick's
    probability under the policy (NaN if unknown) and under a uniform pick (1/eligible).
    Truth (never shown to the policy): the posted prompt's true rate and the mean true rate
    over the eligible set (what a uniform pick is worth in that slot)."""

    _rows: list[tuple[FloatArray, ...]] = field(default_factory=list)

    def add(
        self,
        held: BoolArray,
        responders: IntArray,
        audience: IntArray,
        policy_probability: FloatArray,
        eligible_count: IntArray,
        true_rate: FloatArray,
        uniform_rate: FloatArray,
    ) -> None:
        self._rows.append(
            (
                held.astype(np.float64),
                responders.astype(np.float64),
                audience.astype(np.float64),
                policy_probability.astype(np.float64),
                1.0 / np.maximum(eligible_count, 1).astype(np.float64),
                true_rate.astype(np.float64),
                uniform_rate.astype(np.float64),
            )
        )

    def columns(self) -> dict[str, FloatArray]:
        names = (
            "holdout",
            "responders",
            "audience",
            "policy_probability",
            "uniform_probability",
            "true_rate",
            "uniform_rate",
        )
        if not self._rows:
            return {name: np.zeros(0) for name in names}
        return {
            name: np.concatenate([row[i] for row in self._rows]) for i, name in enumerate(names)
        }
