"""Worlds outside the model (issue 17): the new scenario keys, strict validation, each mechanic's
effect on the truth, and that the default world is untouched by them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bot.simulation.history import History, experienced_p
from bot.simulation.scenario import Scenario, ScenarioError, scenario_from_mapping
from bot.simulation.world import build_world

TINY = {
    "seed": 5,
    "days": 60,
    "prompts": {"count": 40, "categories": 4},
    "channels": {"count": 6, "late_join": {"fraction": 0.0}},
    "repeat_window_days": 10,
    "new_prompts_per_week": 1,
}


def _with(**extra: Any) -> Scenario:
    return scenario_from_mapping({**TINY, **extra})


def test_every_new_key_is_accepted_and_defaults_keep_the_scenario() -> None:
    explicit = {
        "prompts": {"quality_dist": "normal"},
        "channels": {"prompt_taste_sigma": 0.0},
        "fatigue": {"penalty": 0.0, "half_life_days": 90},
        "category_streak_penalty": 0.0,
        "overdispersion": 0.0,
        "seasonality": {"categories": 0, "amplitude": 0.0, "period_days": 365},
        "holdout": 0.0,
    }
    assert scenario_from_mapping(explicit) == Scenario()
    loaded = scenario_from_mapping(
        {"fatigue": {"penalty": 0.5}, "seasonality": {"categories": 3, "amplitude": 0.2}}
    )
    assert loaded.fatigue.half_life_days == 90
    assert loaded.seasonality.period_days == 365


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"prompts": {"quality_dist": "uniform"}}, "normal | student_t3 | bimodal"),
        ({"fatigue": {"penalty": 0.5, "halflife": 9}}, "halflife"),
        ({"fatigue": {"half_life_days": 0}}, "fatigue.half_life_days"),
        ({"overdispersion": 1.0}, "overdispersion: 1.0 is out of range (allowed 0..0.99)"),
        ({"holdout": -0.1}, "holdout: -0.1 is out of range (allowed 0..1)"),
        ({"holdout": "ten percent"}, "holdout must be a number"),
        ({"category_streak_penalty": True}, "category_streak_penalty must be a number"),
        ({"seasonality": {"categories": 13}}, "seasonality.categories: 13 is above"),
        ({"seasonality": {"period_days": 0}}, "seasonality.period_days"),
        ({"channels": {"prompt_taste_sigma": -1}}, "channels.prompt_taste_sigma"),
        ({"seasonality": "yes"}, "seasonality must be a mapping"),
    ],
)
def test_bad_new_values_name_the_key_and_what_is_allowed(data: dict[str, Any], named: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_mapping(data)
    assert named in str(caught.value)


def test_new_mechanics_leave_the_drawn_world_alone() -> None:
    """Prompt taste and seasonality come from their own random stream: switching them on does
    not move a single draw of the default world, and the default world has neither."""
    plain = build_world(scenario_from_mapping(TINY))
    assert plain.prompt_taste is None and plain.season is None
    outside = build_world(
        _with(
            channels={**TINY["channels"], "prompt_taste_sigma": 0.3},  # type: ignore[dict-item]
            seasonality={"categories": 2, "amplitude": 0.4, "period_days": 30},
            overdispersion=0.2,
        )
    )
    for name in ("effect", "taste", "base"):
        assert np.array_equal(getattr(plain, name), getattr(outside, name))
    assert np.array_equal(plain.audience, outside.audience)
    assert not np.array_equal(plain.true_p(10), outside.true_p(10))


def _own_quality(dist: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    scenario = scenario_from_mapping(
        {
            "days": 2,
            "prompts": {
                "count": 20_000,
                "categories": 1,
                "category_sigma": 0,
                "quality_dist": dist,
            },
            "channels": {"count": 1},
            "drift": {"walk_sigma_per_year": 0, "shift_fraction": 0},
            "new_prompts_per_week": 0,
        }
    )
    effect: np.ndarray[Any, np.dtype[np.float64]] = build_world(scenario).effect[0]
    return effect


def test_quality_shapes_keep_the_spread_and_change_the_shape() -> None:
    normal, heavy, split = (_own_quality(d) for d in ("normal", "student_t3", "bimodal"))
    for quality in (normal, heavy, split):
        assert quality.std() == pytest.approx(0.4, rel=0.1)
    tail = float(np.mean(np.abs(normal) > 3 * 0.4))
    assert np.mean(np.abs(heavy) > 3 * 0.4) > 3 * tail  # heavy tails
    assert np.mean(np.abs(split) < 0.1) < 0.5 * np.mean(np.abs(normal) < 0.1)  # a dip at 0


def test_prompt_taste_has_no_category_structure() -> None:
    scenario = _with(
        prompts={"count": 40, "categories": 1, "category_sigma": 0},
        channels={"count": 6, "taste_sigma": 0, "prompt_taste_sigma": 0.5},
        drift={"walk_sigma_per_year": 0, "shift_fraction": 0},
    )
    log_p = np.log(build_world(scenario).true_p(0))
    relative = log_p - log_p[:, :1]  # every prompt against prompt 0, per channel
    assert relative.std(axis=0)[1:].mean() > 0.3  # channels disagree about single prompts


def test_seasonality_swings_the_chosen_categories_only() -> None:
    world = build_world(_with(seasonality={"categories": 2, "amplitude": 0.4, "period_days": 20}))
    assert world.season is not None
    swing = world.season.max(axis=0) - world.season.min(axis=0)
    assert np.count_nonzero(swing) == 2
    assert swing.max() == pytest.approx(0.8, abs=0.05)
    assert np.allclose(world.season[:20], world.season[20:40])  # the period


def test_fatigue_and_streaks_lower_the_log_odds_of_what_this_history_posted() -> None:
    scenario = _with(fatigue={"penalty": 1.0, "half_life_days": 10}, category_streak_penalty=0.3)
    world = build_world(scenario)
    history = History(world.channels, world.prompts)
    same = np.flatnonzero(world.category == world.category[0])
    other = int(np.flatnonzero(world.category != world.category[0])[0])
    rows = np.array([0])
    history.record(10, rows, np.array([same[0]]), world.category)
    history.record(11, rows, np.array([same[1]]), world.category)
    p = world.true_p(20)
    felt = experienced_p(p, history, 20, scenario, world)

    def logit(x: float) -> float:
        return float(np.log(x / (1 - x)))

    def lost(k: int) -> float:
        return logit(p[0, k]) - logit(felt[0, k])

    assert lost(same[0]) == pytest.approx(0.5 + 2 * 0.3)  # 10 days = one half-life, streak 2
    assert lost(same[1]) == pytest.approx(2.0 ** (-0.9) + 2 * 0.3)
    assert lost(same[2]) == pytest.approx(2 * 0.3)  # never posted: the streak alone
    assert lost(other) == pytest.approx(0.0)
    assert np.allclose(felt[1:], p[1:], rtol=1e-12)  # other channels have their own history
    assert experienced_p(p, history, 20, scenario_from_mapping(TINY), world) is p


def test_overdispersion_makes_one_posts_responders_move_together() -> None:
    def spread(rho: float) -> float:
        world = build_world(
            _with(
                overdispersion=rho, channels={"count": 6, "audience": {"median": 200, "sigma": 0}}
            )
        )
        p = np.full(world.channels, 0.1)
        counts = np.array([world.responders(day, p) for day in range(200)])
        return float(counts.var())

    binomial = 200 * 0.1 * 0.9
    assert spread(0.0) == pytest.approx(binomial, rel=0.25)
    assert spread(0.1) > 10 * binomial  # 1 + 199 * 0.1 = ~21x
