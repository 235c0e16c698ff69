"""Runs every policy side by side on one hidden world, day by day, with common random numbers.

The simulator alone holds the `World`: learners are built from its `PublicWorld` and see only
eligibility and outcomes; the oracle alone is handed the true rates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.learning.config import PolicyConfig
from bot.learning.policy import PooledThompsonPolicy
from bot.simulation.baselines import (
    EpsilonGreedyBaseline,
    Learner,
    OracleBaseline,
    PerChannelThompsonBaseline,
    RandomBaseline,
    RoundRobinBaseline,
    TigerbirdRunner,
)
from bot.simulation.history import History, experienced_p, outside_window
from bot.simulation.holdout import HoldoutLog, holdout_slots, uniform_picks
from bot.simulation.scenario import Scenario
from bot.simulation.wordings import WordingArm, WordingArms
from bot.simulation.world import FloatArray, IntArray, PublicWorld, World, build_world

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
    """Expected engagement (true p of the post) per channel-day and policy; NaN before joining.
    `first_post[name][c, k]` is the day channel c first posted prompt k (inf: never);
    `holdouts` has a log per policy that used a holdout."""

    scenario: Scenario
    world: World
    values: dict[str, FloatArray]
    repeat_violations: dict[str, int]
    first_post: dict[str, FloatArray]
    holdouts: dict[str, HoldoutLog]


def make_policies(
    world: PublicWorld, seed: int, names: Sequence[str], config: PolicyConfig | None = None
) -> list[Learner | OracleBaseline]:
    """The named policies; every learner gets the public side of the world only."""

    def rng(salt: int) -> np.random.Generator:
        return np.random.default_rng([seed, 2, salt])

    factories: dict[str, Callable[[], Learner | OracleBaseline]] = {
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
    wording_arm: WordingArm = "policy",
) -> SimulationResult:
    """Run `names` (random and oracle are always added: the metrics need them). With A/B
    wordings in the scenario, tigerbird chooses each post's wording (`wording_arm` "policy"), or
    always posts the first or the truly best (the comparison arms); see bot.simulation.wordings."""
    wanted = list(dict.fromkeys([*names, "random", "oracle"]))
    world = build_world(scenario)
    effect = world.wording_effect
    arms = None if effect is None else WordingArms(effect, scenario.seed, wording_arm)
    policies = make_policies(world.public, scenario.seed, wanted, config)
    histories = {p.name: History(world.channels, world.prompts) for p in policies}
    values = {p.name: np.full((world.channels, scenario.days), np.nan) for p in policies}
    violations = dict.fromkeys(wanted, 0)
    holdouts = {
        p.name: HoldoutLog()
        for p in policies
        if scenario.holdout > 0 and not isinstance(p, OracleBaseline) and p.uses_holdout
    }
    window = scenario.repeat_window_days
    everyone = np.arange(world.channels)
    for day in range(scenario.days):
        p_world = world.true_p(day)
        active = world.join_day <= day
        open_now = active[:, None] & (world.available_from <= day)[None, :]
        held = holdout_slots(scenario.seed, day, world.channels, scenario.holdout) & active
        for policy in policies:
            history = histories[policy.name]
            eligible = open_now & outside_window(history.last_post, day, window)
            p = experienced_p(p_world, history, day, scenario, world)
            if isinstance(policy, OracleBaseline):
                picks = policy.choose(day, eligible, p)
                held_here = np.zeros_like(held)
            else:
                held_here = held if policy.name in holdouts else np.zeros_like(held)
                picks = policy.choose(day, eligible & ~held_here[:, None])
                if held_here.any():
                    picks = np.where(held_here, uniform_picks(scenario.seed, day, eligible), picks)
            rows = np.flatnonzero(active & (picks >= 0))
            chosen = picks[rows]
            violations[policy.name] += int(np.count_nonzero(~eligible[rows, chosen]))
            counts = np.maximum(eligible.sum(axis=1), 1)
            uniform_rate = np.where(eligible, p, 0.0).sum(axis=1) / counts
            p_posted: FloatArray = p[rows, chosen]
            wordings: IntArray | None = None
            if arms is not None:
                wordings, p_posted = arms.post(policy.name, chosen, p_posted)
            if policy.valued_by_expectation:
                values[policy.name][rows, day] = uniform_rate[rows]
            else:
                values[policy.name][rows, day] = p_posted
            history.record(day, rows, chosen, world.category)
            posted: IntArray = np.where(active & (picks >= 0), picks, -1)
            rates = p[everyone, np.maximum(posted, 0)]
            rates[rows] = p_posted
            responders = world.responders(day, rates)
            if isinstance(policy, OracleBaseline):
                continue
            if arms is not None and wordings is not None:
                arms.learn(policy.name, chosen, wordings, responders[rows], world.audience[rows])
            if policy.name in holdouts:
                probability = policy.pick_probabilities()
                holdouts[policy.name].add(
                    held_here[rows],
                    responders[rows],
                    world.audience[rows],
                    np.full(rows.size, np.nan) if probability is None else probability[rows],
                    counts[rows],
                    p_posted,
                    uniform_rate[rows],
                )
            policy.learn(day, posted, responders, world.audience)
        if on_day is not None:
            on_day(day)
    first_post = {name: history.first_post for name, history in histories.items()}
    return SimulationResult(scenario, world, values, violations, first_post, holdouts)
