"""Discounted sufficient statistics of the pooled model, updated one outcome at a time.

Every sum pairs observed responders (`y`) with the responders the rest of the model expected
(`e`, the exposure). Discounting is lazy: sums are stored in the units of a reference time
and scaled by exp(-rate * (t - reference)) when read at time t, so no outcome is ever revisited.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

WEEKDAYS = 7
# Re-base the stored sums before their scale factor grows beyond what a float keeps exactly.
_REBASE_ABOVE = 1e12


def _grown(array: NDArray[Any], rows: int, cols: int | None = None) -> NDArray[Any]:
    """`array` zero-padded to at least `rows` (and `cols`), doubling capacity as needed."""
    new_rows = max(array.shape[0], 1)
    while new_rows < rows:
        new_rows *= 2
    shape: tuple[int, ...] = (new_rows,)
    if cols is not None:
        new_cols = max(array.shape[1], 1)
        while new_cols < cols:
            new_cols *= 2
        shape = (new_rows, new_cols)
    if shape == array.shape:
        return array
    grown = np.zeros(shape, dtype=array.dtype)
    grown[tuple(slice(0, n) for n in array.shape)] = array
    return grown


class PooledStats:
    """Index maps plus discounted (y, e) sums per prompt, channel, channel x category, weekday."""

    def __init__(self, half_life_days: float) -> None:
        self.decay_rate = math.log(2.0) / half_life_days
        self.reference: float | None = None
        self.prompt_index: dict[int, int] = {}
        self.category_index: dict[str, int] = {}
        self.channel_index: dict[str, int] = {}
        self.prompt_category: IntArray = np.zeros(16, dtype=np.int64)
        self.prompt_y: FloatArray = np.zeros(16)
        self.prompt_e: FloatArray = np.zeros(16)
        self.channel_y: FloatArray = np.zeros(4)
        self.channel_e: FloatArray = np.zeros(4)
        self.taste_y: FloatArray = np.zeros((4, 4))
        self.taste_e: FloatArray = np.zeros((4, 4))
        self.weekday_y: FloatArray = np.zeros(WEEKDAYS)
        self.weekday_e: FloatArray = np.zeros(WEEKDAYS)

    @property
    def prompt_count(self) -> int:
        return len(self.prompt_index)

    @property
    def category_count(self) -> int:
        return len(self.category_index)

    def category(self, name: str) -> int:
        index = self.category_index.get(name)
        if index is None:
            index = self.category_index[name] = len(self.category_index)
            self._grow_taste()
        return index

    def prompt(self, prompt_id: int, category: str) -> int:
        index = self.prompt_index.get(prompt_id)
        if index is None:
            index = self.prompt_index[prompt_id] = len(self.prompt_index)
            rows = index + 1
            self.prompt_category = _grown(self.prompt_category, rows)
            self.prompt_y = _grown(self.prompt_y, rows)
            self.prompt_e = _grown(self.prompt_e, rows)
        # A prompt moved to another category keeps its own evidence under the new category.
        self.prompt_category[index] = self.category(category)
        return index

    def channel(self, key: str) -> int:
        index = self.channel_index.get(key)
        if index is None:
            index = self.channel_index[key] = len(self.channel_index)
            self.channel_y = _grown(self.channel_y, index + 1)
            self.channel_e = _grown(self.channel_e, index + 1)
            self._grow_taste()
        return index

    def _grow_taste(self) -> None:
        rows, cols = len(self.channel_index), len(self.category_index)
        self.taste_y = _grown(self.taste_y, rows, cols)
        self.taste_e = _grown(self.taste_e, rows, cols)

    def discount(self, at_day: float) -> float:
        """The factor that turns stored sums into sums discounted to `at_day`."""
        if self.reference is None:
            return 1.0
        return math.exp(-self.decay_rate * (at_day - self.reference))

    def weight(self, at_day: float) -> float:
        """The stored weight of an outcome seen at `at_day` (re-basing first if it grew too big)."""
        if self.reference is None:
            self.reference = at_day
        weight = math.exp(self.decay_rate * (at_day - self.reference))
        if weight > _REBASE_ABOVE:
            self._scale(1.0 / weight)
            self.reference = at_day
            weight = 1.0
        return weight

    def _scale(self, factor: float) -> None:
        for array in self._sums():
            array *= factor

    def _sums(self) -> list[FloatArray]:
        return [
            self.prompt_y,
            self.prompt_e,
            self.channel_y,
            self.channel_e,
            self.taste_y,
            self.taste_e,
            self.weekday_y,
            self.weekday_e,
        ]

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to rebuild these statistics, as plain Python and numpy values."""
        return {
            "decay_rate": self.decay_rate,
            "reference": self.reference,
            "prompt_index": dict(self.prompt_index),
            "category_index": dict(self.category_index),
            "channel_index": dict(self.channel_index),
            "prompt_category": self.prompt_category.copy(),
            **{name: getattr(self, name).copy() for name in _SUM_NAMES},
        }

    def load_state(self, state: dict[str, Any]) -> None:
        self.decay_rate = float(state["decay_rate"])
        self.reference = state["reference"]
        self.prompt_index = dict(state["prompt_index"])
        self.category_index = dict(state["category_index"])
        self.channel_index = dict(state["channel_index"])
        self.prompt_category = np.array(state["prompt_category"], dtype=np.int64)
        for name in _SUM_NAMES:
            setattr(self, name, np.array(state[name], dtype=np.float64))


_SUM_NAMES = (
    "prompt_y",
    "prompt_e",
    "channel_y",
    "channel_e",
    "taste_y",
    "taste_e",
    "weekday_y",
    "weekday_e",
)
