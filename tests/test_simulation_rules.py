"""Simulator rules of issue 17: only the oracle reads the truth, the no-repeat window is
production's, the holdout and the new-prompt discovery metric."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
from datetime import time, timedelta
from typing import Any

import numpy as np
import pytest

from bot.app.cli.simulate import headroom_curves
from bot.core.domain import Choice, PlatformName, PromptDraft, PromptSource, ScheduleSpec
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.learning.selection import eligible
from bot.simulation.baselines import OracleBaseline
from bot.simulation.history import History, outside_window
from bot.simulation.lift_check import lift_metrics as report_of
from bot.simulation.metrics import discovery_days, new_top_prompts, policy_metrics
from bot.simulation.scenario import scenario_from_mapping
from bot.simulation.simulator import POLICY_NAMES, make_policies, simulate
from bot.simulation.world import PublicWorld, World, build_world
from tests.conftest import START

SMALL = {
    "seed": 4,
    "days": 90,
    "prompts": {"count": 40, "categories": 4},
    "channels": {"count": 8, "late_join": {"fraction": 0.25, "from_day": 20, "to_day": 30}},
    "repeat_window_days": 15,
    "new_prompts_per_week": 2,
}


def _reachable(root: object) -> list[object]:
    """Every object reachable from `root` through attributes, containers and closures."""
    seen: dict[int, object] = {}
    stack = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, str | bytes | int | float | type):
            continue
        seen[id(item)] = item
        if isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple | set | frozenset):
            stack += list(item)
        elif isinstance(item, np.ndarray | np.random.Generator):
            continue
        if hasattr(item, "__dict__"):
            stack += list(vars(item).values())
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack += [getattr(item, f.name) for f in dataclasses.fields(item)]
    return list(seen.values())


def test_only_the_oracle_is_handed_the_truth() -> None:
    world = build_world(scenario_from_mapping(SMALL))
    truth = [world.effect, world.taste, world.base]
    for policy in make_policies(world.public, 4, POLICY_NAMES):
        parameters = list(inspect.signature(policy.choose).parameters)
        if isinstance(policy, OracleBaseline):
            assert parameters == ["day", "eligible", "p"]
            continue
        assert parameters == ["day", "eligible"], policy.name
        for item in _reachable(policy):
            assert not isinstance(item, World), policy.name
            if isinstance(item, np.ndarray):
                assert not any(np.shares_memory(item, t) for t in truth), policy.name
    public = {f.name for f in dataclasses.fields(PublicWorld)}
    assert public == {"category", "available_from", "join_day", "audience"}


def test_learners_choose_the_same_in_worlds_that_differ_only_in_truth() -> None:
    """Before any outcome a learner's first picks cannot depend on the hidden rates."""
    world = build_world(scenario_from_mapping(SMALL))
    other = dataclasses.replace(world, effect=-world.effect, taste=-world.taste)
    eligible_today = np.ones((world.channels, world.prompts), dtype=np.bool_)
    for name in ("tigerbird", "random", "round_robin", "epsilon_greedy", "per_channel_thompson"):
        first, second = (make_policies(w.public, 4, [name])[0] for w in (world, other))
        assert not isinstance(first, OracleBaseline) and not isinstance(second, OracleBaseline)
        assert np.array_equal(first.choose(0, eligible_today), second.choose(0, eligible_today))


async def _schedule_and_prompts(store: UnitOfWorkFactory, count: int) -> tuple[int, list[Any]]:
    async with store() as u:
        community = await u.communities.ensure(PlatformName.SLACK, "T1", "Acme")
        spec = ScheduleSpec(times=(time(9, 0),), timezone="UTC")
        schedule = await u.schedules.add(NewSchedule(community.id, "general", spec), START)
        prompts = []
        for k in range(count):
            draft = PromptDraft(
                f"p/{k}", f"Question {k}?", "open", ("misc",), (Choice("🐯", "tiger"),), "p"
            )
            prompts.append(await u.prompts.add(draft, PromptSource.BUILTIN))
        await u.commit()
    return schedule.id, prompts


async def test_the_simulator_window_is_productions_on_the_same_history(
    store: UnitOfWorkFactory,
) -> None:
    """Day by day the same posts go into production's store and the simulator's history; both
    rules must leave out exactly the same prompts (a prompt posted on day t returns on t+W+1)."""
    window, count = 3, 6
    schedule_id, prompts = await _schedule_and_prompts(store, count)
    index = {p.id: k for k, p in enumerate(prompts)}
    history = History(1, count)
    returns = []
    for day in range(20):
        slot = START + timedelta(days=day)
        async with store() as u:
            recent = await u.posts.recent_prompt_ids(schedule_id, slot - timedelta(days=window))
        production = {index[c.prompt_id] for c in eligible(prompts, recent)}
        simulator = set(np.flatnonzero(outside_window(history.last_post[0], day, window)))
        assert production == simulator, day
        # Post the lowest eligible prompt, but skip prompt 0 on odd days to vary the pattern.
        choice = min(production - {0}) if day % 2 and len(production) > 1 else min(production)
        if choice == 0:
            returns.append(day)
        async with store() as u:
            claimed = await u.posts.claim(
                schedule_id, slot, f"m{day}", prompts[choice].id, None, slot
            )
            assert claimed is not None
            await u.commit()
        history.record(day, np.array([0]), np.array([choice]), np.zeros(count, np.int64))
    assert any(b - a == window + 1 for a, b in itertools.pairwise(returns))


def test_the_holdout_gives_its_share_of_slots_to_uniform_picks() -> None:
    scenario = scenario_from_mapping({**SMALL, "holdout": 0.3})
    result = simulate(scenario, ["tigerbird", "round_robin"])
    assert set(result.holdouts) == {"tigerbird"}  # learners only; the baselines keep theirs
    log = result.holdouts["tigerbird"].columns()
    held = log["holdout"] == 1
    assert 0.2 < held.mean() < 0.4
    # Held-out posts are worth a uniform pick on average; the policy's own posts more.
    assert abs(log["true_rate"][held].mean() / log["uniform_rate"][held].mean() - 1) < 0.1
    assert log["true_rate"][~held].mean() > 1.1 * log["uniform_rate"][~held].mean()
    assert np.isnan(log["policy_probability"][held]).all()
    assert (log["policy_probability"][~held] > 0).all()
    assert policy_metrics(result)["tigerbird"]["repeat_violations"] == 0


def test_discovery_days_count_until_a_quarter_of_the_channels_posted() -> None:
    scenario = scenario_from_mapping({**SMALL, "days": 150, "new_prompts_per_week": 6})
    result = simulate(scenario, ["tigerbird"])
    top = new_top_prompts(result)
    assert top
    world = result.world
    assert all(world.available_from[k] > 0 for k in top)
    assert discovery_days(result, "oracle", top) <= discovery_days(result, "random", top)
    # Rewrite one history: every channel posts the prompt 9 days after it arrived.
    k = top[0]
    first_post = {**result.first_post, "random": np.full_like(result.first_post["random"], np.inf)}
    first_post["random"][:, k] = world.available_from[k] + 9
    rewritten = dataclasses.replace(result, first_post=first_post)
    assert discovery_days(rewritten, "random", [k]) == 9
    first_post["random"][: world.channels // 2, k] = np.inf  # a quarter still posted it
    assert discovery_days(rewritten, "random", [k]) == 9
    first_post["random"][:, k] = np.inf
    assert discovery_days(rewritten, "random", [k]) == np.inf


def test_lift_interval_covers_the_true_lift_on_tiny_worlds() -> None:
    """A CI-sized version of the 20-seed benchmark check: the production estimator on the
    simulator's holdout posts; a biased estimate or a too-narrow interval fails it."""
    hits, seeds = 0, range(6)
    for seed in seeds:
        scenario = scenario_from_mapping(
            {**SMALL, "seed": seed, "days": 45, "holdout": 0.3, "new_prompts_per_week": 0}
        )
        lift = report_of(simulate(scenario, ["tigerbird"]))["tigerbird"]
        low, high = lift["lift_ci90"]
        assert lift["lift_true"] > 1.05  # the policy does learn something in 45 days
        hits += low <= lift["lift_true"] <= high
    assert hits >= 4


def test_cumulative_headroom_curves_end_at_the_whole_run_headroom() -> None:
    result = simulate(scenario_from_mapping({**SMALL, "days": 40}), ["tigerbird"])
    curves = headroom_curves(result)
    metrics = policy_metrics(result)
    for name, curve in curves.items():
        assert curve.shape == (40,)
        assert curve[-1] == pytest.approx(metrics[name]["headroom_365"])
    assert np.allclose(curves["oracle"][np.isfinite(curves["oracle"])], 1.0)
    assert np.allclose(curves["random"][np.isfinite(curves["random"])], 0.0)
