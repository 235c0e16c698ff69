"""Choosing the next prompt: the Policy port, the no-repeat window, and the uniform baseline.

The learning policy (bot.learning) implements the same `Policy` protocol; the services and
the simulator call nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np

from bot.core.domain import Prompt

LOW_LIBRARY_THRESHOLD = 14


@dataclass(frozen=True)
class Candidate:
    prompt_id: int
    category: str


@dataclass(frozen=True)
class PickContext:
    """Who is being asked: `channel_key` identifies the channel across communities."""

    channel_key: str
    at: datetime


@dataclass(frozen=True)
class Pick:
    """The chosen prompt and how likely the policy was to choose it (for off-policy
    evaluation). The uniform policy gives exactly 1/n; the pooled Thompson policy gives an
    estimate, (wins + 1) / (draws + 1): how often the chosen prompt also wins in 16 more
    independent posterior draws (`draws`, None for an exact probability). None when the
    policy cannot say."""

    prompt_id: int
    probability: float | None
    draws: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What one closed post drew: `responders` unique members out of `audience`. `at` is the
    slot in the channel's own timezone, so its weekday is the one the channel lived."""

    prompt_id: int
    category: str
    channel_key: str
    responders: int
    audience: int
    at: datetime


class Policy(Protocol):
    """Picks one of the eligible candidates; learns from outcomes of earlier picks."""

    def pick(self, candidates: Sequence[Candidate], context: PickContext) -> Pick: ...

    def observe(self, outcome: Outcome) -> None: ...


class UniformPolicy:
    """The baseline: every eligible prompt equally likely; learns nothing."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng

    def pick(self, candidates: Sequence[Candidate], context: PickContext) -> Pick:
        if not candidates:
            raise ValueError("no eligible prompt to pick from")
        index = int(self._rng.integers(len(candidates)))
        return Pick(candidates[index].prompt_id, 1.0 / len(candidates))

    def observe(self, outcome: Outcome) -> None:
        return None


def eligible(
    prompts: Iterable[Prompt], recent_ids: set[int], categories: Sequence[str] = ()
) -> list[Candidate]:
    """Prompts outside the no-repeat window and inside the category filter (if any)."""
    wanted = {c.lower() for c in categories}
    return [
        Candidate(p.id, p.category)
        for p in prompts
        if p.id not in recent_ids and (not wanted or p.category.lower() in wanted)
    ]
