"""Choosing among a prompt's wordings (A/B test): a per-wording multiplier pooled with its prompt.

Model: the responders of a post with wording w of prompt p are Poisson(audience x rate[p] x
lift[w]), where rate[p] is the prompt's own rate over every wording and every channel (pooled)
and lift[w] ~ Gamma(k, k) a priori: centred on 1, so a new wording counts as good as its
prompt until its outcomes say otherwise; k (`prior_strength`) is how many expected responders
of evidence weigh as much as the prior. The posterior is Gamma(k + y[w], k + e[w]) with
e[w] = audience[w] x rate[p]. Each post draws once from every wording's posterior and posts
the best (Thompson sampling), after the prompt policy picked the prompt. A prompt with one
wording costs nothing and draws nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.learning.stats import FloatArray

DEFAULT_PRIOR_STRENGTH = 10.0
# The prompt's rate before any outcome: a weak prior at 10 % (only ratios matter for a pick).
_RATE_PRIOR_RESPONDERS = 1.0
_RATE_PRIOR_AUDIENCE = 10.0


class WordingChooser(Protocol):
    """Chooses which wording of a picked prompt to post; learns from closed posts."""

    def choose(self, prompt_id: int, keys: Sequence[str]) -> int:
        """The index in `keys` (the prompt's wording keys, main text first) to post."""
        ...

    def observe(self, prompt_id: int, key: str | None, responders: int, audience: int) -> None:
        """One closed post of `prompt_id` with wording `key` (None: not recorded)."""
        ...


class FirstWording:
    """The baseline: always the main text (what Tigerbird did before wordings)."""

    def choose(self, prompt_id: int, keys: Sequence[str]) -> int:
        return 0

    def observe(self, prompt_id: int, key: str | None, responders: int, audience: int) -> None:
        return None


@dataclass
class _Tally:
    responders: float = 0.0
    audience: float = 0.0


class WordingPolicy:
    """Thompson sampling over per-wording multipliers, each pooled with its prompt's rate."""

    def __init__(
        self, rng: np.random.Generator, prior_strength: float = DEFAULT_PRIOR_STRENGTH
    ) -> None:
        if prior_strength <= 0:
            raise ValueError("prior_strength must be positive")
        self._rng = rng
        self.prior_strength = prior_strength
        self._prompts: dict[int, _Tally] = {}
        self._wordings: dict[tuple[int, str], _Tally] = {}

    def choose(self, prompt_id: int, keys: Sequence[str]) -> int:
        if len(keys) < 2:
            return 0
        shape, rate = self.posterior(prompt_id, keys)
        draws = self._rng.gamma(shape) / rate
        return int(np.argmax(draws))

    def posterior(self, prompt_id: int, keys: Sequence[str]) -> tuple[FloatArray, FloatArray]:
        """The Gamma (shape, rate) of each wording's multiplier, in the order of `keys`."""
        rate_of_prompt = self.prompt_rate(prompt_id)
        k = self.prior_strength
        tallies = [self._wordings.get((prompt_id, key), _Tally()) for key in keys]
        shape = np.array([k + t.responders for t in tallies], dtype=np.float64)
        rate = np.array([k + t.audience * rate_of_prompt for t in tallies], dtype=np.float64)
        return shape, rate

    def prompt_rate(self, prompt_id: int) -> float:
        """The prompt's pooled rate over all its wordings (with a weak prior)."""
        tally = self._prompts.get(prompt_id, _Tally())
        return (tally.responders + _RATE_PRIOR_RESPONDERS) / (tally.audience + _RATE_PRIOR_AUDIENCE)

    def observe(self, prompt_id: int, key: str | None, responders: int, audience: int) -> None:
        prompt = self._prompts.setdefault(prompt_id, _Tally())
        prompt.responders += responders
        prompt.audience += audience
        if key is not None:
            wording = self._wordings.setdefault((prompt_id, key), _Tally())
            wording.responders += responders
            wording.audience += audience
