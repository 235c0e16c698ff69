"""A/B wordings in the simulator: each prompt has `prompts.variants_per_prompt` extra wordings,
each with its own hidden effect (`World.wording_effect`, see world.wording_effects), and the
production wording policy chooses among them.

Who chooses the wording: tigerbird runs `bot.learning.wordings.WordingPolicy` (arm "policy"),
or for the comparison arms always the first wording ("first") or the truly best one ("best", a
ceiling); the other learners always post the first wording; the oracle posts the best one.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from bot.learning.wordings import FirstWording, WordingChooser, WordingPolicy
from bot.simulation.world import MAX_P, FloatArray, IntArray, lower_log_odds

WordingArm = Literal["policy", "first", "best"]


class WordingArms:
    """The wording each policy posts, and what each learns from the outcomes."""

    def __init__(self, effect: FloatArray, seed: int, arm: WordingArm = "policy") -> None:
        self.effect = effect
        self._keys = [str(w) for w in range(effect.shape[1])]
        self._choosers: dict[str, WordingChooser] = {}
        self._best = {"oracle"} | ({"tigerbird"} if arm == "best" else set())
        rng = np.random.default_rng([seed, 2, 100])
        if arm != "best":
            self._choosers["tigerbird"] = WordingPolicy(rng) if arm == "policy" else FirstWording()

    def post(self, name: str, chosen: IntArray, p: FloatArray) -> tuple[IntArray, FloatArray]:
        """The wording posted for each pick and the pick's rate with that wording."""
        if name in self._best:
            wordings: IntArray = self.effect[chosen].argmax(axis=1)
        else:
            chooser = self._choosers.get(name)
            wordings = np.array(
                [0 if chooser is None else chooser.choose(int(k), self._keys) for k in chosen],
                dtype=np.int64,
            )
        return wordings, np.minimum(lower_log_odds(p, -self.effect[chosen, wordings]), MAX_P)

    def learn(
        self,
        name: str,
        chosen: IntArray,
        wordings: IntArray,
        responders: IntArray,
        audience: IntArray,
    ) -> None:
        chooser = self._choosers.get(name)
        if chooser is None:
            return
        for k, w, y, n in zip(chosen, wordings, responders, audience, strict=True):
            chooser.observe(int(k), self._keys[int(w)], int(y), int(n))
