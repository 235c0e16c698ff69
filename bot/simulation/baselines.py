"""Simulated policies, vectorised across channels: the baselines, the oracle, and an adapter
that runs the real `PooledThompsonPolicy` one channel-day at a time through pick()/observe().

Each policy sees one day at a time: `choose` gets the eligible prompts of every channel
(the simulator applies the no-repeat window) and returns one prompt index per channel
(-1 for channels not yet active); `learn` gets the responders of those picks.

Only the oracle sees the truth: a `Learner` is built from a `PublicWorld` (no appeal, taste or
base rate) and its `choose` takes no probabilities; `OracleBaseline.choose` alone is handed p.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

import numpy as np

from bot.learning.policy import PooledThompsonPolicy
from bot.learning.selection import Candidate, Outcome, PickContext
from bot.simulation.world import BoolArray, FloatArray, IntArray, PublicWorld

SIMULATION_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday, like the world's day 0


def _argmax_where(scores: FloatArray, allowed: BoolArray) -> IntArray:
    picks: IntArray = np.where(allowed, scores, -np.inf).argmax(axis=1)
    picks[~allowed.any(axis=1)] = -1
    return picks


class Learner(Protocol):
    """A policy that must learn: it sees eligibility and outcomes, never true rates."""

    name: str
    # Random is valued by its expected value over the eligible set rather than its draw.
    valued_by_expectation: bool
    # Whether a holdout share of its slots goes to a uniform pick (scenario `holdout`).
    uses_holdout: bool

    def choose(self, day: int, eligible: BoolArray) -> IntArray: ...

    def pick_probabilities(self) -> FloatArray | None:
        """The chance each channel's last pick had under the policy (NaN: unknown)."""
        ...

    def learn(
        self, day: int, picks: IntArray, responders: IntArray, audience: IntArray
    ) -> None: ...


class _Learnless:
    valued_by_expectation = False
    uses_holdout = False

    def pick_probabilities(self) -> FloatArray | None:
        return None

    def learn(self, day: int, picks: IntArray, responders: IntArray, audience: IntArray) -> None:
        return None


class RandomBaseline(_Learnless):
    name = "random"
    valued_by_expectation = True

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng

    def choose(self, day: int, eligible: BoolArray) -> IntArray:
        return _argmax_where(self._rng.random(eligible.shape), eligible)


class OracleBaseline:
    """Knows today's true p (drift and its own fatigue and streaks included), obeys the window,
    looks no further than today. The only policy the simulator hands the truth."""

    name = "oracle"
    valued_by_expectation = False

    def choose(self, day: int, eligible: BoolArray, p: FloatArray) -> IntArray:
        return _argmax_where(p, eligible)


class RoundRobinBaseline(_Learnless):
    """Per-channel shuffled cycle: the least recently used prompt, new prompts at the end."""

    name = "round_robin"

    def __init__(self, rng: np.random.Generator, world: PublicWorld) -> None:
        shape = (world.channels, world.prompts)
        self._position = rng.random(shape)  # tie-break among never-posted prompts: the shuffle
        joined_before = world.available_from[None, :] <= world.join_day[:, None]
        # A prompt that arrives after the channel joined queues behind everything used before.
        self._last_used = np.where(joined_before, -1e6, world.available_from[None, :] + 0.5)
        self._last_used = self._last_used.astype(np.float64)

    def choose(self, day: int, eligible: BoolArray) -> IntArray:
        return _argmax_where(-(self._last_used + self._position * 1e-3), eligible)

    def learn(self, day: int, picks: IntArray, responders: IntArray, audience: IntArray) -> None:
        rows = np.flatnonzero(picks >= 0)
        self._last_used[rows, picks[rows]] = day


class _PerChannelCounts:
    """Per channel x prompt responder and audience sums (no pooling across channels)."""

    uses_holdout = True

    def __init__(self, world: PublicWorld) -> None:
        self._y = np.zeros((world.channels, world.prompts))
        self._n = np.zeros((world.channels, world.prompts))

    def pick_probabilities(self) -> FloatArray | None:
        return None

    def learn(self, day: int, picks: IntArray, responders: IntArray, audience: IntArray) -> None:
        rows = np.flatnonzero(picks >= 0)
        self._y[rows, picks[rows]] += responders[rows]
        self._n[rows, picks[rows]] += audience[rows]

    def channel_rate(self) -> FloatArray:
        rate: FloatArray = (self._y.sum(axis=1) + 1.0) / (self._n.sum(axis=1) + 10.0)
        return rate


class EpsilonGreedyBaseline(_PerChannelCounts):
    """Per channel: the best observed rate, unseen prompts at the channel's mean; random w.p. ε."""

    name = "epsilon_greedy"
    valued_by_expectation = False

    def __init__(self, rng: np.random.Generator, world: PublicWorld, epsilon: float = 0.1) -> None:
        super().__init__(world)
        self._rng = rng
        self._epsilon = epsilon

    def choose(self, day: int, eligible: BoolArray) -> IntArray:
        mean = self.channel_rate()[:, None]
        seen = self._n > 0
        estimate = np.where(seen, self._y / np.where(seen, self._n, 1.0), mean)
        noise = self._rng.random(eligible.shape)
        greedy = _argmax_where(estimate + 1e-9 * noise, eligible)
        explore = _argmax_where(noise, eligible)
        return np.where(self._rng.random(eligible.shape[0]) < self._epsilon, explore, greedy)


class PerChannelThompsonBaseline(_PerChannelCounts):
    """Per channel: Beta posterior per prompt around the channel's mean rate, one draw each."""

    name = "per_channel_thompson"
    valued_by_expectation = False

    def __init__(self, rng: np.random.Generator, world: PublicWorld, strength: float = 2.0) -> None:
        super().__init__(world)
        self._rng = rng
        self._strength = strength

    def choose(self, day: int, eligible: BoolArray) -> IntArray:
        mean = self.channel_rate()[:, None]
        alpha = self._strength * mean + self._y
        beta = self._strength * (1.0 - mean) + (self._n - self._y)
        return _argmax_where(self._rng.beta(alpha, beta), eligible)


class TigerbirdRunner(_Learnless):
    """The production policy, asked once per channel-day through pick() and taught by observe()."""

    name = "tigerbird"
    uses_holdout = True

    def __init__(self, policy: PooledThompsonPolicy, world: PublicWorld) -> None:
        self.policy = policy
        self._categories = [f"category-{g}" for g in world.category]
        self._candidates = [Candidate(k, name) for k, name in enumerate(self._categories)]
        self._channels = [f"channel-{c}" for c in range(world.channels)]
        self._probabilities = np.full(world.channels, np.nan)

    def choose(self, day: int, eligible: BoolArray) -> IntArray:
        at = SIMULATION_START + timedelta(days=day)
        picks = np.full(eligible.shape[0], -1, dtype=np.int64)
        self._probabilities[:] = np.nan
        for c in np.flatnonzero(eligible.any(axis=1)):
            candidates = [self._candidates[k] for k in np.flatnonzero(eligible[c])]
            chosen = self.policy.pick(candidates, PickContext(self._channels[c], at))
            picks[c] = chosen.prompt_id
            if chosen.probability is not None:
                self._probabilities[c] = chosen.probability
        return picks

    def pick_probabilities(self) -> FloatArray | None:
        return self._probabilities

    def learn(self, day: int, picks: IntArray, responders: IntArray, audience: IntArray) -> None:
        at = SIMULATION_START + timedelta(days=day)
        for c in np.flatnonzero(picks >= 0):
            k = int(picks[c])
            outcome = Outcome(
                k, self._categories[k], self._channels[c], int(responders[c]), int(audience[c]), at
            )
            self.policy.observe(outcome)
