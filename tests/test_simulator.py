"""The simulator: scenario loading, the hidden world, baselines, a CI-sized benchmark, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from bot.app.cli.simulate import register
from bot.simulation.baselines import RoundRobinBaseline
from bot.simulation.history import outside_window
from bot.simulation.metrics import policy_metrics
from bot.simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_from_mapping
from bot.simulation.simulator import POLICY_NAMES, simulate
from bot.simulation.world import build_world

SMALL = {
    "seed": 3,
    "days": 120,
    "prompts": {"count": 60, "categories": 6},
    "channels": {"count": 10, "late_join": {"fraction": 0.3, "from_day": 40, "to_day": 60}},
    "repeat_window_days": 20,
    "new_prompts_per_week": 1,
}


def test_missing_keys_take_the_defaults() -> None:
    scenario = scenario_from_mapping({"channels": {"audience": {"median": 12}}})
    assert scenario.channels.audience.median == 12
    assert scenario.channels.audience.max == 5000
    assert scenario.channels.count == 50
    assert scenario == scenario_from_mapping(scenario.to_dict()).__class__(
        channels=scenario.channels
    )
    assert scenario_from_mapping(None) == Scenario()


@pytest.mark.parametrize(
    "data",
    [{"chanels": {}}, {"prompts": {"count": "many"}}, {"drift": 3}, {"day_of_week": [1, 2]}],
)
def test_unknown_keys_and_bad_values_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(ScenarioError):
        scenario_from_mapping(data)


def test_shipped_scenarios_load() -> None:
    files = sorted(Path("benchmarks/scenarios").glob("*.yaml"))
    assert files
    for path in files:
        load_scenario(path)
    assert load_scenario(Path("benchmarks/scenarios/default.yaml")) == Scenario()


def test_the_world_is_deterministic_in_its_seed() -> None:
    scenario = scenario_from_mapping(SMALL)
    first, second = build_world(scenario), build_world(scenario)
    assert np.array_equal(first.true_p(30), second.true_p(30))
    assert first.available_from.max() > 0  # new prompts arrive weekly
    assert (first.join_day > 0).any()


def test_common_random_numbers_tie_outcomes_to_appeal() -> None:
    world = build_world(scenario_from_mapping(SMALL))
    low = np.full(world.channels, 0.1)
    high = np.full(world.channels, 0.3)
    assert np.array_equal(world.responders(5, low), world.responders(5, low))
    assert (world.responders(5, high) >= world.responders(5, low)).all()
    assert (world.responders(5, high) <= world.audience).all()


def test_round_robin_cycles_least_recently_used_and_queues_new_prompts_last() -> None:
    scenario = scenario_from_mapping({**SMALL, "channels": {"count": 1}, "days": 200})
    world = build_world(scenario)
    baseline = RoundRobinBaseline(np.random.default_rng(0), world.public)
    last_post = np.full(world.prompts, -np.inf)
    posted: list[int] = []
    for day in range(scenario.days):
        eligible = (world.available_from <= day) & outside_window(last_post, day, 20)
        pick = baseline.choose(day, eligible[None, :])
        baseline.learn(day, pick, np.zeros(1, np.int64), world.audience)
        last_post[pick[0]] = day
        posted.append(int(pick[0]))
    initial = world.available_from == 0
    first_cycle = posted[: int(initial.sum())]
    assert sorted(first_cycle) == list(np.flatnonzero(initial))  # the shuffle, each once
    newcomer = int(np.flatnonzero(~initial)[0])
    arrival, first_post = int(world.available_from[newcomer]), posted.index(newcomer)
    before = posted[:arrival]
    between = posted[arrival:first_post]
    # It joins the end of the cycle: everything queued when it arrived goes first.
    assert set(np.flatnonzero(initial)) - set(before) <= set(between)
    assert set(before) <= set(between)


def test_small_scenario_tigerbird_beats_random_and_round_robin() -> None:
    result = simulate(scenario_from_mapping(SMALL))
    metrics = policy_metrics(result)
    assert set(metrics) == set(POLICY_NAMES)
    tigerbird = metrics["tigerbird"]
    assert tigerbird["ratio_vs_random"] > 1.1
    assert tigerbird["ratio_vs_round_robin"] > 1.1
    assert tigerbird["headroom_365"] > 0.5
    assert tigerbird["channels_below_random"] == 0
    for per_channel_learner in ("epsilon_greedy", "per_channel_thompson"):
        assert tigerbird["mean_engagement"] > metrics[per_channel_learner]["mean_engagement"]
    assert all(m["repeat_violations"] == 0 for m in metrics.values())
    assert metrics["random"]["headroom_365"] == 0
    assert metrics["oracle"]["headroom_365"] == 1


def _cli() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def other() -> None:  # a second command keeps `simulate` a named subcommand
        """Unused."""

    return app


def test_cli_json_has_the_documented_shape(tmp_path: Path) -> None:
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(
        "days: 40\nprompts: {count: 30, categories: 3}\n"
        "channels: {count: 4, late_join: {fraction: 0}}\n"
        "repeat_window_days: 10\nholdout: 0.3\n",
        encoding="utf-8",
    )
    plot = tmp_path / "out.png"
    args = ["simulate", "--scenario", str(scenario), "--json", "--seed", "11", "--plot", str(plot)]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["scenario"]["seed"] == 11
    assert set(document["policies"]) == set(POLICY_NAMES)
    # the whole-run headroom is named by the horizon: 40 days here, not 365
    assert {"headroom_40", "headroom_cold_30", "ratio_vs_random", "ratio_vs_round_robin"} <= set(
        document["policies"]["tigerbird"]
    )
    assert plot.read_bytes().startswith(b"\x89PNG")
    # With a holdout every learner reports its lift; the baselines and the oracle do not.
    tigerbird = document["policies"]["tigerbird"]
    assert tigerbird["lift_posts"] == 160  # 40 days x 4 channels, holdout and policy posts
    low, high = tigerbird["lift_ci90"]
    assert low <= tigerbird["lift_estimate"] <= high
    assert "lift_true" in document["policies"]["epsilon_greedy"]
    assert "lift_true" not in document["policies"]["round_robin"]
    assert "new_top_discovery_days" in tigerbird


def test_cli_refuses_a_bad_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("nonsense: 1\n", encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["simulate", "--scenario", str(scenario)])
    assert result.exit_code == 2
    assert "nonsense" in result.output
