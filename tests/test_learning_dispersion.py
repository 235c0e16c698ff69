"""Overdispersion learned from residuals: ~0 for binomial counts, rho for beta-binomial ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.learning.config import PolicyConfig
from bot.learning.dispersion import Dispersion
from bot.learning.policy import PooledThompsonPolicy
from bot.learning.selection import Outcome

DAY0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _posts(seed: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    audience = np.clip(np.rint(rng.lognormal(np.log(60), 1.2, count)), 5, 5000)
    rate = rng.lognormal(np.log(0.08), 0.4, count)
    return audience, rate


def _beta_binomial(rng: np.random.Generator, n: float, p: float, rho: float) -> int:
    strength = (1.0 - rho) / rho
    return int(rng.binomial(int(n), rng.beta(p * strength, (1.0 - p) * strength)))


def test_binomial_counts_give_no_overdispersion() -> None:
    rng = np.random.default_rng(1)
    dispersion = Dispersion()
    for n, p in zip(*_posts(2, 5000), strict=True):
        dispersion.observe(float(rng.binomial(int(n), p)), n, n * p, 0.0)
    assert dispersion.rho < 0.003
    assert dispersion.effective_share(60) > 0.85


def test_beta_binomial_counts_are_measured_and_down_weighted() -> None:
    rng = np.random.default_rng(3)
    dispersion = Dispersion()
    for n, p in zip(*_posts(4, 5000), strict=True):
        dispersion.observe(float(_beta_binomial(rng, n, p, 0.05)), n, n * p, 0.0)
    assert dispersion.rho == pytest.approx(0.05, abs=0.015)
    assert dispersion.effective_share(60) == pytest.approx(1 / (1 + 59 * 0.05), rel=0.3)
    assert dispersion.effective_share(1) == 1.0


def test_the_models_own_uncertainty_is_not_taken_for_overdispersion() -> None:
    rng = np.random.default_rng(5)
    honest, naive = Dispersion(), Dispersion()
    for n, p in zip(*_posts(6, 5000), strict=True):
        # the model's prediction is off by a factor whose relative variance it knows
        off = rng.gamma(10.0, 1.0 / 10.0)
        y = float(rng.binomial(int(n), min(p * off, 0.95)))
        honest.observe(y, n, n * p, 0.1)
        naive.observe(y, n, n * p, 0.0)
    assert honest.rho < 0.003
    assert naive.rho > 0.004


def test_nothing_is_estimated_before_enough_outcomes() -> None:
    dispersion = Dispersion(min_outcomes=10)
    for _ in range(9):
        dispersion.observe(30.0, 100.0, 5.0, 0.0)
    assert dispersion.rho == 0.0
    dispersion.observe(30.0, 100.0, 5.0, 0.0)
    assert dispersion.rho > 0.0
    restored = Dispersion(min_outcomes=10)
    restored.load_state(dispersion.state_dict())
    assert restored.rho == dispersion.rho


def _teach(policy: PooledThompsonPolicy, rho: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    quality = rng.lognormal(0.0, 0.4, 40)
    for day in range(40):
        for channel in range(30):
            k = (day * 7 + channel) % 40
            n, p = 60 + 40 * channel, 0.08 * quality[k]
            y = _beta_binomial(rng, n, p, rho) if rho > 0 else int(rng.binomial(n, p))
            at = DAY0 + timedelta(days=day)
            policy.observe(Outcome(k, "fun", f"c{channel}", y, n, at))


def test_the_policy_learns_overdispersion_only_where_there_is_some() -> None:
    binomial = PooledThompsonPolicy(np.random.default_rng(1))
    overdispersed = PooledThompsonPolicy(np.random.default_rng(1))
    switched_off = PooledThompsonPolicy(
        np.random.default_rng(1), PolicyConfig(learn_dispersion=False)
    )
    _teach(binomial, 0.0, 7)
    _teach(overdispersed, 0.05, 7)
    _teach(switched_off, 0.05, 7)
    assert binomial.overdispersion < 0.005
    assert overdispersed.overdispersion > 0.02
    assert switched_off.overdispersion == 0.0
