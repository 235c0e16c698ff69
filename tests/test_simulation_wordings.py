"""A/B wordings in the simulator (issue 19): the `prompts.variants_per_prompt` and
`variant_sigma` keys, strictly validated; off by default (today's worlds unchanged); on, each
prompt's wordings have centred effects, and choosing wordings beats always the first."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bot.simulation.scenario import ScenarioError, scenario_from_mapping
from bot.simulation.simulator import simulate
from bot.simulation.world import build_world

TINY: dict[str, Any] = {
    "seed": 5,
    "days": 120,
    "prompts": {"count": 30, "categories": 3},
    "channels": {"count": 12, "late_join": {"fraction": 0.0}, "audience": {"median": 300}},
    "repeat_window_days": 10,
    "new_prompts_per_week": 0,
}


def _with(**prompts: Any) -> dict[str, Any]:
    return {**TINY, "prompts": {**TINY["prompts"], **prompts}}


def test_variants_are_off_by_default_and_leave_the_world_alone() -> None:
    plain = build_world(scenario_from_mapping(TINY))
    assert plain.wording_effect is None
    on = build_world(scenario_from_mapping(_with(variants_per_prompt=2, variant_sigma=0.3)))
    assert np.array_equal(plain.effect, on.effect) and np.array_equal(plain.base, on.base)
    assert on.wording_effect is not None and on.wording_effect.shape == (30, 3)
    assert np.allclose(on.wording_effect.mean(axis=1), 0.0)  # centred on the prompt
    assert 0.15 < float(on.wording_effect.std()) < 0.4
    zero_sigma = scenario_from_mapping(_with(variants_per_prompt=2))
    assert build_world(zero_sigma).wording_effect is None


@pytest.mark.parametrize(
    ("prompts", "named"),
    [
        (
            {"variants_per_prompt": 3},
            "prompts.variants_per_prompt: 3 is out of range (allowed 0..2)",
        ),
        ({"variants_per_prompt": 1.5}, "prompts.variants_per_prompt must be an integer"),
        ({"variant_sigma": -0.1}, "prompts.variant_sigma: -0.1 is out of range"),
        ({"variant_sigma": "big"}, "prompts.variant_sigma must be a number"),
        ({"variants": 2}, "unknown key(s) in prompts: variants"),
    ],
)
def test_bad_values_name_the_key(prompts: dict[str, Any], named: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_mapping(_with(**prompts))
    assert str(caught.value).startswith(named)


def test_choosing_wordings_beats_always_the_first() -> None:
    scenario = scenario_from_mapping(_with(variants_per_prompt=2, variant_sigma=0.6))
    first, chosen, best = (
        simulate(scenario, ["tigerbird"], wording_arm=arm) for arm in ("first", "policy", "best")
    )
    late = slice(60, None)
    first_late, chosen_late, best_late = (
        np.nansum(run.values["tigerbird"][:, late]) for run in (first, chosen, best)
    )
    assert chosen_late > 1.05 * first_late
    assert best_late > chosen_late  # the ceiling: knowing each prompt's best wording
    # The baselines post the first wording in both runs: their worlds and values are the same.
    assert np.array_equal(first.values["random"], chosen.values["random"], equal_nan=True)
