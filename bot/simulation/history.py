"""One policy's posting history in the simulated world, and what it does to the truth.

The no-repeat window is production's: the deliverer leaves out every prompt posted in a slot at
or after `slot - repeat_window_days`, so a prompt posted on day t is eligible again on day
t + window + 1. Fatigue and category streaks lower a post's true rate by what this very policy
posted before, so each policy lives in its own copy of the world.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.simulation.scenario import Scenario
from bot.simulation.world import BoolArray, FloatArray, IntArray, World, lower_log_odds


def outside_window(last_post: FloatArray, day: int, window_days: int) -> BoolArray:
    """Prompts whose last post (day number, -inf if never) is older than the window."""
    allowed: BoolArray = last_post < day - window_days
    return allowed


@dataclass
class History:
    """Per channel x prompt the first and last day posted; per channel the running category
    streak (the category of the latest post and how many posts in a row had it)."""

    channels: int
    prompts: int
    last_post: FloatArray = field(init=False)
    first_post: FloatArray = field(init=False)
    streak_category: IntArray = field(init=False)
    streak_length: IntArray = field(init=False)

    def __post_init__(self) -> None:
        shape = (self.channels, self.prompts)
        self.last_post = np.full(shape, -np.inf)
        self.first_post = np.full(shape, np.inf)
        self.streak_category = np.full(self.channels, -1, dtype=np.int64)
        self.streak_length = np.zeros(self.channels, dtype=np.int64)

    def record(self, day: int, rows: IntArray, chosen: IntArray, category: IntArray) -> None:
        """Channels `rows` posted prompts `chosen` on `day`."""
        self.last_post[rows, chosen] = day
        self.first_post[rows, chosen] = np.minimum(self.first_post[rows, chosen], day)
        same = self.streak_category[rows] == category[chosen]
        self.streak_length[rows] = np.where(same, self.streak_length[rows] + 1, 1)
        self.streak_category[rows] = category[chosen]


def experienced_p(
    p: FloatArray, history: History, day: int, scenario: Scenario, world: World
) -> FloatArray:
    """Today's true p after this history's fatigue and category-streak penalties (log-odds)."""
    fatigue, streak = scenario.fatigue, scenario.category_streak_penalty
    if fatigue.penalty <= 0 and streak <= 0:
        return p
    penalty = np.zeros_like(p)
    if fatigue.penalty > 0:
        posted = np.isfinite(history.last_post)
        age = np.where(posted, day - history.last_post, 0.0)
        penalty += np.where(posted, fatigue.penalty * 2.0 ** (-age / fatigue.half_life_days), 0.0)
    if streak > 0:
        same = world.category[None, :] == history.streak_category[:, None]
        penalty += np.where(same, streak * history.streak_length[:, None], 0.0)
    return lower_log_odds(p, penalty)
