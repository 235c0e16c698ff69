"""Runs every policy side by side on one hidden world, day by day, with common random numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.learning.config import PolicyConfig
from bot.learning.policy import PooledThompsonPolicy
from bot.simulation.baselines import (
    EpsilonGreedyBaseline,
    OracleBaseline,
    PerChannelThompsonBaseline,
    RandomBaseline,
    RoundRobinBaseline,
    SimulatedPolicy,
    TigerbirdRunner,
)
from bot.simulation.scenario import Scenario
from bot.simulation.world import FloatArray, IntArray, World, build_world

POLICY_NAMES = (
    "tigerbird",
    "random",
    "round_robin",
    "epsilon_greedy",
    "per_channel_thompson",
    "oracle",
)


@dataclass(frozen=True)
class SimulationResult:
    """Expected engagement (true p of the post) per channel-day and policy; NaN before joining."""

    scenario: Scenario
    world: World
    values: dict[str, FloatArray]
    repeat_violations: dict[str, int]


def make_policies(
    world: World, seed: int, names: Sequence[str], config: PolicyConfig | None = None
) -> list[SimulatedPolicy]:
    def rng(salt: int) -> np.random.Generator:
        return np.random.default_rng([seed, 2, salt])

    factories: dict[str, Callable[[], SimulatedPolicy]] = {
        "tigerbird": lambda: TigerbirdRunner(PooledThompsonPolicy(rng(0), config), world),
        "random": lambda: RandomBaseline(rng(1)),
        "round_robin": lambda: RoundRobinBaseline(rng(2), world),
        "epsilon_greedy": lambda: EpsilonGreedyBaseline(rng(3), world),
        "per_channel_thompson": lambda: PerChannelThompsonBaseline(rng(4), world),
        "oracle": OracleBaseline,
    }
    unknown = sorted(set(names) - set(factories))
    if unknown:
        raise ValueError(f"unknown policies: {', '.join(unknown)}")
    return [factories[name]() for name in names]


def simulate(
    scenario: Scenario,
    names: Sequence[str] = POLICY_NAMES,
    config: PolicyConfig | None = None,
    on_day: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Run `names` (random and oracle are always added: the metrics need them)."""
    wanted = list(dict.fromkeys([*names, "random", "oracle"]))
    world = build_world(scenario)
    policies = make_policies(world, scenario.seed, wanted, config)
    shape = (world.channels, world.prompts)
    last_post = {p.name: np.full(shape, -np.inf) for p in policies}
    values = {p.name: np.full((world.channels, scenario.days), np.nan) for p in policies}
    violations = dict.fromkeys(wanted, 0)
    window = scenario.repeat_window_days
    everyone = np.arange(world.channels)
    for day in range(scenario.days):
        p = world.true_p(day)
        active = world.join_day <= day
        open_now = active[:, None] & (world.available_from <= day)[None, :]
        for policy in policies:
            eligible = open_now & (last_post[policy.name] <= day - window)
            picks = policy.choose(day, eligible, p)
            rows = np.flatnonzero(active & (picks >= 0))
            chosen = picks[rows]
            violations[policy.name] += int(np.count_nonzero(~eligible[rows, chosen]))
            if policy.valued_by_expectation:
                totals = np.where(eligible, p, 0.0).sum(axis=1)
                counts = np.maximum(eligible.sum(axis=1), 1)
                values[policy.name][rows, day] = (totals / counts)[rows]
            else:
                values[policy.name][rows, day] = p[rows, chosen]
            last_post[policy.name][rows, chosen] = day
            posted: IntArray = np.where(active & (picks >= 0), picks, -1)
            responders = world.responders(day, p[everyone, np.maximum(posted, 0)])
            policy.learn(day, posted, responders, world.audience)
        if on_day is not None:
            on_day(day)
    return SimulationResult(scenario, world, values, violations)
