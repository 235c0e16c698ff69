"""What the policy learns from its own posting history in a channel: how a re-post and a run of
posts of one category engage compared with what the pooled model expected (fatigue, streaks).

Every outcome adds its responders (y) and the responders the model expected (e) to one repeat
bin (never posted in this channel before, or by the age of its last post there) and one streak
bin (a different category than the channel's previous post, or the length of the run of that
category so far), discounted with the policy's half-life. A bin's factor is its (y + s) / (e + s)
over the fresh bin's, with `s` pseudo-responders of prior: 1 until the evidence says otherwise.
A pick multiplies each candidate's drawn appeal by its bins' factors.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bot.learning.stats import FloatArray, IntArray

REPEAT_AGES_DAYS = (90.0, 180.0, 365.0)  # bins: fresh, < 90, < 180, < 365, older
MAX_STREAK = 3  # runs of 3 or more share a bin
PRIOR_RESPONDERS = 200.0


class HistoryEffects:
    """Per channel its last post of each prompt and its running category streak, plus the
    pooled (y, e) sums of every repeat and streak bin."""

    def __init__(
        self, half_life_days: float = 180.0, prior_responders: float = PRIOR_RESPONDERS
    ) -> None:
        self._prior = prior_responders
        self._decay_rate = math.log(2.0) / half_life_days
        self._day: float | None = None  # the day the sums are discounted to
        self.last_post: dict[int, dict[int, float]] = {}  # channel -> prompt -> day
        self.streak: dict[int, tuple[int, int]] = {}  # channel -> (category, run length)
        self.repeat_y: FloatArray = np.zeros(len(REPEAT_AGES_DAYS) + 2)
        self.repeat_e: FloatArray = np.zeros(len(REPEAT_AGES_DAYS) + 2)
        self.streak_y: FloatArray = np.zeros(MAX_STREAK + 1)
        self.streak_e: FloatArray = np.zeros(MAX_STREAK + 1)

    def _repeat_bins(self, channel: int, prompts: IntArray, day: float) -> IntArray:
        posted = self.last_post.get(channel, {})
        last = np.fromiter((posted.get(int(k), -np.inf) for k in prompts), float, prompts.size)
        bins: IntArray = np.where(
            np.isfinite(last), 1 + np.searchsorted(REPEAT_AGES_DAYS, day - last, "right"), 0
        ).astype(np.int64)
        return bins

    def _streak_bins(self, channel: int, categories: IntArray) -> IntArray:
        category, length = self.streak.get(channel, (-1, 0))
        bins: IntArray = np.where(categories == category, min(length, MAX_STREAK), 0)
        return bins.astype(np.int64)

    def observe(
        self, channel: int, prompt: int, category: int, day: float, y: float, expected: float
    ) -> None:
        """Credit one outcome to its bins, then extend the channel's history with it."""
        self._discount_to(day)
        repeat = int(self._repeat_bins(channel, np.array([prompt]), day)[0])
        streak = int(self._streak_bins(channel, np.array([category]))[0])
        self.repeat_y[repeat] += y
        self.repeat_e[repeat] += expected
        self.streak_y[streak] += y
        self.streak_e[streak] += expected
        self.last_post.setdefault(channel, {})[prompt] = day
        previous, length = self.streak.get(channel, (-1, 0))
        self.streak[channel] = (category, length + 1 if previous == category else 1)

    def _discount_to(self, day: float) -> None:
        if self._day is not None and day > self._day:
            factor = math.exp(-self._decay_rate * (day - self._day))
            for sums in (self.repeat_y, self.repeat_e, self.streak_y, self.streak_e):
                sums *= factor
        self._day = day if self._day is None else max(self._day, day)

    def _factors(self, y: FloatArray, e: FloatArray, day: float) -> FloatArray:
        age = 0.0 if self._day is None else max(day - self._day, 0.0)
        discount = math.exp(-self._decay_rate * age)
        ratio = (discount * y + self._prior) / (discount * e + self._prior)
        factors: FloatArray = ratio / ratio[0]
        return factors

    def factors(
        self, channel: int, prompts: IntArray, categories: IntArray, day: float
    ) -> FloatArray:
        """Each candidate's multiplier for a post in `channel` on `day`."""
        repeat_factors = self._factors(self.repeat_y, self.repeat_e, day)
        streak_factors = self._factors(self.streak_y, self.streak_e, day)
        repeat = repeat_factors[self._repeat_bins(channel, prompts, day)]
        streak = streak_factors[self._streak_bins(channel, categories)]
        combined: FloatArray = repeat * streak
        return combined

    def state_dict(self) -> dict[str, Any]:
        return {
            "last_post": {c: dict(p) for c, p in self.last_post.items()},
            "streak": dict(self.streak),
            "day": self._day,
            "sums": [
                a.copy() for a in (self.repeat_y, self.repeat_e, self.streak_y, self.streak_e)
            ],
        }

    def load_state(self, state: dict[str, Any]) -> None:
        self.last_post = {int(c): dict(p) for c, p in state["last_post"].items()}
        self.streak = {int(c): (int(g), int(n)) for c, (g, n) in state["streak"].items()}
        self._day = state["day"]
        self.repeat_y, self.repeat_e, self.streak_y, self.streak_e = (
            np.array(a, dtype=np.float64) for a in state["sums"]
        )
