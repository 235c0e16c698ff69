"""The policy's learned history effects: re-posts and category runs against expectation."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.learning.config import PolicyConfig
from bot.learning.history_effects import HistoryEffects
from bot.learning.policy import PooledThompsonPolicy
from bot.learning.selection import Candidate, Outcome, PickContext


def test_fresh_posts_are_the_reference_and_no_evidence_means_no_effect() -> None:
    effects = HistoryEffects()
    factors = effects.factors(0, np.array([1, 2]), np.array([0, 1]), 10.0)
    assert np.array_equal(factors, [1.0, 1.0])


def test_re_posts_that_engage_less_are_learned_by_age_of_the_last_post() -> None:
    effects = HistoryEffects(half_life_days=1e6, prior_responders=10.0)
    for channel in range(200):
        # a fresh post engages as expected; its re-post 70 days later half as much
        effects.observe(channel, 1, channel % 3, 0.0, y=10.0, expected=10.0)
        effects.observe(channel, 2, 9, 1.0, y=10.0, expected=10.0)
        effects.observe(channel, 1, channel % 3 + 3, 70.0, y=5.0, expected=10.0)
    factors = effects.factors(0, np.array([1, 2, 3]), np.array([5, 5, 5]), 120.0)
    assert factors[0] == pytest.approx(0.5, abs=0.05)  # posted 50 days ago: the < 90 bin
    assert factors[1] == pytest.approx(1.0)  # posted 119 days ago: no evidence in that bin
    assert factors[2] == pytest.approx(1.0)  # never posted here


def test_runs_of_one_category_are_learned_per_run_length() -> None:
    effects = HistoryEffects(half_life_days=1e6, prior_responders=10.0)
    for channel in range(200):
        effects.observe(channel, 1, 4, 0.0, y=10.0, expected=10.0)  # fresh category
        effects.observe(channel, 2, 4, 1.0, y=8.0, expected=10.0)  # second in a row
        effects.observe(channel, 3, 5, 2.0, y=10.0, expected=10.0)
    after_five = effects.factors(0, np.array([7, 8]), np.array([5, 4]), 3.0)
    assert after_five[0] == pytest.approx(0.8, abs=0.05)  # would be the second 5 in a row
    assert after_five[1] == pytest.approx(1.0)
    restored = HistoryEffects(half_life_days=1e6, prior_responders=10.0)
    restored.load_state(effects.state_dict())
    assert np.array_equal(restored.factors(0, np.array([7, 8]), np.array([5, 4]), 3.0), after_five)


def test_old_evidence_fades_with_the_half_life() -> None:
    effects = HistoryEffects(half_life_days=10.0, prior_responders=10.0)
    for channel in range(200):
        effects.observe(channel, 1, 0, 0.0, y=10.0, expected=10.0)
        effects.observe(channel, 1, 1, 70.0, y=5.0, expected=10.0)
    soon = effects.factors(0, np.array([1]), np.array([2]), 80.0)[0]
    much_later = effects.factors(0, np.array([1]), np.array([2]), 300.0)[0]
    assert soon < 0.7
    assert much_later == pytest.approx(1.0, abs=0.02)


def test_a_policy_that_saw_re_posts_flop_prefers_what_this_channel_has_not_seen() -> None:
    day0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def taught(learn_history: bool) -> Counter[int]:
        config = PolicyConfig(learn_history=learn_history, probability_draws=0)
        policy = PooledThompsonPolicy(np.random.default_rng(3), config)
        for c in range(40):
            # prompt 1 engages 20 % better; both lose half when re-posted
            for prompt, fresh in ((1, 24), (2, 20)):
                for day, responders in ((c % 7, fresh), (70 + c % 7, fresh // 2)):
                    at = day0 + timedelta(days=day)
                    policy.observe(Outcome(prompt, "fun", f"ch{c}", responders, 100, at))
        policy.observe(Outcome(1, "fun", "new", 20, 100, day0 + timedelta(days=80)))
        policy.observe(Outcome(3, "other", "new", 20, 100, day0 + timedelta(days=81)))
        context = PickContext("new", day0 + timedelta(days=100))
        candidates = [Candidate(1, "fun"), Candidate(2, "fun")]
        return Counter(policy.pick(candidates, context).prompt_id for _ in range(300))

    assert taught(False)[1] >= 240  # without history effects: the better prompt, re-posted
    assert taught(True)[2] >= 240  # the re-post of prompt 1 would flop: prompt 2 instead
