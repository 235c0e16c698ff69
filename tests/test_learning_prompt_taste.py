"""Channel x prompt taste: measured from re-posts only, and used by the policy per channel."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.learning.config import PolicyConfig
from bot.learning.policy import PooledThompsonPolicy
from bot.learning.prompt_taste import PromptTaste
from bot.learning.selection import Candidate, Outcome, PickContext

DAY0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _post_everything(taste: PromptTaste, truth: np.ndarray, noise: float, seed: int) -> None:
    """Three posts of every prompt in every channel, 70 days apart, 200 responders expected."""
    rng = np.random.default_rng(seed)
    channels, prompts = truth.shape
    for post in range(3):
        for c in range(channels):
            for k in range(prompts):
                rate = truth[c, k] * (rng.gamma(1 / noise, noise) if noise > 0 else 1.0)
                y = float(rng.poisson(200.0 * rate))
                taste.observe(c, k, 70.0 * post, y, 200.0, 1.0, 0.0)


def test_taste_that_persists_across_re_posts_is_measured() -> None:
    truth = np.random.default_rng(1).lognormal(-0.045, 0.3, (40, 20))
    taste = PromptTaste(half_life_days=1e6)
    _post_everything(taste, truth, 0.0, 2)
    assert taste.variance == pytest.approx(float(np.var(truth)), rel=0.25)


def test_noise_that_does_not_persist_is_not_taste() -> None:
    taste = PromptTaste(half_life_days=1e6)
    _post_everything(taste, np.ones((40, 20)), 0.5, 3)  # every post's rate off by sd ~0.7
    assert taste.variance < 0.01


def test_no_re_posts_no_taste_and_evidence_is_per_cell() -> None:
    taste = PromptTaste(half_life_days=10.0)
    taste.observe(0, 5, 0.0, 8.0, 4.0, 1.0, 0.0)
    assert taste.variance == 0.0
    y, x = taste.evidence(0, np.array([5, 6]), 10.0)
    assert y.tolist() == pytest.approx([4.0, 0.0])  # one half-life later
    assert x.tolist() == pytest.approx([2.0, 0.0])
    assert taste.evidence(1, np.array([5]), 0.0)[0].tolist() == [0.0]
    restored = PromptTaste(half_life_days=10.0)
    restored.load_state(taste.state_dict())
    assert restored.evidence(0, np.array([5]), 10.0)[0].tolist() == pytest.approx([4.0])


def _teach(policy: PooledThompsonPolicy) -> None:
    truth = np.random.default_rng(4).lognormal(0.0, 0.4, (40, 20))
    truth[0, 1], truth[0, 2], truth[1, 1], truth[1, 2] = 2.0, 0.5, 0.5, 2.0
    for post in range(3):
        for c in range(40):
            for k in range(20):
                at = DAY0 + timedelta(days=70 * post + k)
                y = round(200 * 0.1 * truth[c, k])
                policy.observe(Outcome(k, "fun", f"c{c}", y, 200, at))


def _favourite(policy: PooledThompsonPolicy, channel: str) -> Counter[int]:
    context = PickContext(channel, DAY0 + timedelta(days=200))
    both = [Candidate(1, "fun"), Candidate(2, "fun")]
    return Counter(policy.pick(both, context).prompt_id for _ in range(300))


def test_the_policy_picks_what_each_channel_likes() -> None:
    policy = PooledThompsonPolicy(np.random.default_rng(1), PolicyConfig(learn_prompt_taste=True))
    _teach(policy)
    assert policy.prompt_taste_variance > 0.05
    assert _favourite(policy, "c0")[1] >= 270
    assert _favourite(policy, "c1")[2] >= 270
    blind = PooledThompsonPolicy(np.random.default_rng(1))  # off as shipped
    _teach(blind)
    assert blind.prompt_taste_variance == 0.0
    assert _favourite(blind, "c0")[1] < 270 or _favourite(blind, "c1")[2] < 270
