"""The production lift estimator (bot/learning/lift.py) run on the simulator's holdout logs,
next to the true lift it estimates."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bot.learning.lift import LiftEstimate, PostObservation, estimate_lift
from bot.simulation.holdout import HoldoutLog
from bot.simulation.simulator import SimulationResult
from bot.simulation.world import FloatArray


def observations(columns: dict[str, FloatArray]) -> list[PostObservation]:
    """What production would have stored for each post: arm, outcome and propensities."""
    return [
        PostObservation(
            arm="holdout" if held else "policy",
            responders=int(responders),
            audience=int(audience),
            uniform_propensity=float(uniform),
            policy_propensity=None if math.isnan(policy) else float(policy),
        )
        for held, responders, audience, uniform, policy in zip(
            columns["holdout"],
            columns["responders"],
            columns["audience"],
            columns["uniform_probability"],
            columns["policy_probability"],
            strict=True,
        )
    ]


def true_lift(columns: dict[str, FloatArray]) -> float:
    """The estimand: on the slots the policy picked, its true rate over a uniform pick's
    (both pooled over the audience, like the estimate), the ratio of `estimate_lift`."""
    mine = columns["holdout"] == 0
    audience = columns["audience"][mine]
    picked = float(np.sum(audience * columns["true_rate"][mine]))
    uniform = float(np.sum(audience * columns["uniform_rate"][mine]))
    return picked / uniform if uniform > 0 else float("nan")


def _interval(estimate: LiftEstimate) -> list[float] | None:
    if estimate.low is None or estimate.high is None:
        return None
    return [estimate.low, estimate.high]


def lift_of(log: HoldoutLog) -> dict[str, Any]:
    """lift_true, lift_estimate and lift_ci90 (holdout vs policy posts), the posts they rest
    on, and the inverse-propensity estimate with its interval."""
    columns = log.columns()
    report = estimate_lift(observations(columns))
    return {
        "lift_true": true_lift(columns),
        "lift_estimate": report.holdout.lift,
        "lift_ci90": _interval(report.holdout),
        "lift_posts": report.holdout.posts,
        "lift_off_policy": report.off_policy.lift,
        "lift_off_policy_ci90": _interval(report.off_policy),
    }


def lift_metrics(result: SimulationResult) -> dict[str, dict[str, Any]]:
    """Per policy that used a holdout, its lift figures (empty without a holdout)."""
    return {name: lift_of(log) for name, log in result.holdouts.items()}
