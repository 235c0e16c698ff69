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
    for i, (n, p) in enumerate(zip(*_posts(2, 5000), strict=True)):
        dispersion.observe(i % 50, float(rng.binomial(int(n), p)), n, n * p, 0.0)
    assert dispersion.rho < 0.003
    assert dispersion.effective_share(60) > 0.85


def test_beta_binomial_counts_are_measured_and_down_weighted() -> None:
    rng = np.random.default_rng(3)
    dispersion = Dispersion()
    for i, (n, p) in enumerate(zip(*_posts(4, 5000), strict=True)):
        y = float(_beta_binomial(rng, n, p, 0.05))
        dispersion.observe(i % 50, y, n, n * p, 0.0)
    assert dispersion.rho == pytest.approx(0.05, abs=0.015)
    assert dispersion.effective_share(60) == pytest.approx(1 / (1 + 59 * 0.05), rel=0.3)
    assert dispersion.effective_share(1) == 1.0


def test_what_the_model_gets_wrong_about_a_channel_is_not_overdispersion() -> None:
    rng = np.random.default_rng(5)
    dispersion = Dispersion()
    audience, rate = _posts(6, 5000)
    wrong = rng.lognormal(0.0, 0.5, 50)  # each channel's true rate is off by its own factor
    for i, (n, p) in enumerate(zip(audience, rate, strict=True)):
        y = float(rng.binomial(int(n), min(p * wrong[i % 50], 0.95)))
        dispersion.observe(i % 50, y, n, n * p, 0.0)
    assert dispersion.rho < 0.003


def test_nothing_is_estimated_before_enough_pairs_nor_from_unsure_predictions() -> None:
    dispersion = Dispersion(min_pairs=10)
    for _ in range(5):  # a channel whose posts swing far more than counting explains
        dispersion.observe(0, 30.0, 100.0, 5.0, 0.0)
        dispersion.observe(0, 1.0, 100.0, 5.0, 0.0)
    assert dispersion.rho == 0.0  # 9 pairs of consecutive posts
    dispersion.observe(0, 30.0, 100.0, 5.0, 0.0)
    assert dispersion.rho > 0.0
    unsure = Dispersion(min_pairs=1)
    for _ in range(50):
        unsure.observe(0, 60.0, 100.0, 5.0, 0.5)  # a new prompt: anything could happen
        unsure.observe(0, 0.0, 100.0, 5.0, 0.5)
    assert unsure.rho == 0.0
    restored = Dispersion(min_pairs=10)
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
    learning = PolicyConfig(learn_dispersion=True)
    binomial = PooledThompsonPolicy(np.random.default_rng(1), learning)
    overdispersed = PooledThompsonPolicy(np.random.default_rng(1), learning)
    switched_off = PooledThompsonPolicy(np.random.default_rng(1))  # off as shipped
    _teach(binomial, 0.0, 7)
    _teach(overdispersed, 0.05, 7)
    _teach(switched_off, 0.05, 7)
    assert binomial.overdispersion < 0.005
    assert overdispersed.overdispersion > 0.02
    assert switched_off.overdispersion == 0.0
