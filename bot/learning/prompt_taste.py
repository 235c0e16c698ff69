"""Channel x prompt taste: a channel may like one prompt more than its quality and category say.

Per channel and prompt the policy keeps the discounted responders (y) and the exposure the rest
of the model implied without the prompt's quality (x), so the cell's taste reads
t ~ Gamma(s + y, s + quality * x) with s = 1 / variance. The variance of taste across cells is
estimated from re-posts alone: a cell's residuals on two posts share its taste, while the noise
of each post (overdispersion included) and errors of the pooled factors do not or are known, so
the mean of (residual now x residual before - shared model variance) estimates it. In a world
without such taste the estimate stays near 0 and the term is left out.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bot.learning.stats import FloatArray, IntArray

MAX_VARIANCE = 1.0
# Relative residuals are capped in precision at this taste variance (a post's weight).
_RESIDUAL_FLOOR = 0.1
_REBASE_ABOVE = 1e12


def _precision(expected: float) -> float:
    """1 / the variance of a relative residual whose expectation is `expected` responders."""
    return expected / (1.0 + _RESIDUAL_FLOOR * expected)


class PromptTaste:
    """Per channel the (y, x) sums of every prompt posted there, plus the re-post moments."""

    def __init__(self, half_life_days: float = 180.0, min_pairs: int = 100) -> None:
        self._decay_rate = math.log(2.0) / half_life_days
        self._min_pairs = min_pairs
        self._reference: float | None = None
        self.cells: dict[int, dict[int, list[float]]] = {}  # channel -> prompt -> [y, x]
        self._numerator = 0.0
        self._denominator = 0.0
        self._pairs = 0

    @property
    def variance(self) -> float:
        """The estimated variance of taste across channel x prompt cells (0: no such taste)."""
        if self._pairs < self._min_pairs or self._denominator <= 0.0:
            return 0.0
        return min(max(self._numerator / self._denominator, 0.0), MAX_VARIANCE)

    def discount(self, day: float) -> float:
        """Stored sums -> sums discounted to `day`."""
        if self._reference is None:
            return 1.0
        return math.exp(-self._decay_rate * (day - self._reference))

    def _weight(self, day: float) -> float:
        if self._reference is None:
            self._reference = day
        weight = math.exp(self._decay_rate * (day - self._reference))
        if weight > _REBASE_ABOVE:
            for cells in self.cells.values():
                for sums in cells.values():
                    sums[0] /= weight
                    sums[1] /= weight
            self._reference, weight = day, 1.0
        return weight

    def observe(
        self,
        channel: int,
        prompt: int,
        day: float,
        y: float,
        x: float,
        quality: float,
        shared_variance: float,
    ) -> None:
        """Fold in one post: `quality` the prompt's current mean, `shared_variance` the relative
        variance of the pooled factors both posts of a cell share."""
        weight = self._weight(day)
        cell = self.cells.setdefault(channel, {}).get(prompt)
        expected = quality * x
        if cell is not None and expected > 0.0:
            before = quality * cell[1] / weight
            if before > 0.0:
                residual_now = y / expected - 1.0
                residual_before = cell[0] / weight / before - 1.0
                pair_weight = _precision(expected) * _precision(before)
                product = residual_now * residual_before - shared_variance
                self._numerator += pair_weight * product
                self._denominator += pair_weight
                self._pairs += 1
        if cell is None:
            self.cells[channel][prompt] = [y * weight, x * weight]
        else:
            cell[0] += y * weight
            cell[1] += x * weight

    def evidence(
        self, channel: int, prompts: IntArray, day: float
    ) -> tuple[FloatArray, FloatArray]:
        """The discounted (y, x) of each prompt's cell in `channel` (zeros where never posted)."""
        cells = self.cells.get(channel, {})
        empty = (0.0, 0.0)
        pairs = [cells.get(int(k), empty) for k in prompts]
        discount = self.discount(day)
        y = np.fromiter((pair[0] for pair in pairs), float, len(pairs)) * discount
        x = np.fromiter((pair[1] for pair in pairs), float, len(pairs)) * discount
        return y, x

    def state_dict(self) -> dict[str, Any]:
        return {
            "reference": self._reference,
            "cells": {c: {k: list(s) for k, s in cells.items()} for c, cells in self.cells.items()},
            "moments": (self._numerator, self._denominator, self._pairs),
        }

    def load_state(self, state: dict[str, Any]) -> None:
        self._reference = state["reference"]
        self.cells = {
            int(c): {int(k): [float(s[0]), float(s[1])] for k, s in cells.items()}
            for c, cells in state["cells"].items()
        }
        numerator, denominator, pairs = state["moments"]
        self._numerator, self._denominator, self._pairs = (
            float(numerator),
            float(denominator),
            int(pairs),
        )
