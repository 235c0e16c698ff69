"""PooledThompsonPolicy: posterior updates, discounting, blocking, cold start, determinism."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.learning.config import PolicyConfig
from bot.learning.policy import PooledThompsonPolicy
from bot.learning.selection import Candidate, Outcome, PickContext

DAY0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def make_policy(seed: int = 1, config: PolicyConfig | None = None) -> PooledThompsonPolicy:
    return PooledThompsonPolicy(np.random.default_rng(seed), config or PolicyConfig())


def teach(
    policy: PooledThompsonPolicy,
    prompt: Candidate,
    rate: float,
    *,
    channels: Sequence[str] = ("a", "b", "c", "d"),
    posts: int = 10,
    start: datetime = DAY0,
    audience: int = 100,
) -> None:
    for day in range(posts):
        for channel in channels:
            responders = round(rate * audience)
            at = start + timedelta(days=day)
            outcome = Outcome(prompt.prompt_id, prompt.category, channel, responders, audience, at)
            policy.observe(outcome)


def tally(
    policy: PooledThompsonPolicy, candidates: list[Candidate], channel: str, at: datetime, n: int
) -> Counter[int]:
    context = PickContext(channel, at)
    return Counter(policy.pick(candidates, context).prompt_id for _ in range(n))


GOOD, BAD = Candidate(1, "fun"), Candidate(2, "fun")


def test_observed_outcomes_move_picks_toward_the_better_prompt() -> None:
    policy = make_policy()
    teach(policy, GOOD, 0.3)
    teach(policy, BAD, 0.05)
    assert tally(policy, [GOOD, BAD], "a", DAY0 + timedelta(days=10), 200)[GOOD.prompt_id] >= 195


def test_without_observations_two_alike_prompts_are_picked_about_equally() -> None:
    policy = make_policy()
    counts = tally(policy, [GOOD, BAD], "a", DAY0, 400)
    assert 140 <= counts[GOOD.prompt_id] <= 260


def test_old_evidence_is_discounted_back_to_the_prior() -> None:
    ten_days = PolicyConfig(half_life_days=10)
    fresh, stale = make_policy(config=ten_days), make_policy(config=ten_days)
    for policy in (fresh, stale):
        teach(policy, GOOD, 0.3)
        teach(policy, BAD, 0.05)
    soon = tally(fresh, [GOOD, BAD], "a", DAY0 + timedelta(days=10), 300)
    much_later = tally(stale, [GOOD, BAD], "a", DAY0 + timedelta(days=10 + 400), 300)
    assert soon[GOOD.prompt_id] >= 290
    assert 90 <= much_later[GOOD.prompt_id] <= 210


def test_recent_outcomes_outweigh_old_ones_after_a_reversal() -> None:
    policy = make_policy(config=PolicyConfig(half_life_days=20))
    teach(policy, GOOD, 0.05)
    teach(policy, BAD, 0.3)
    later = DAY0 + timedelta(days=200)
    teach(policy, GOOD, 0.3, start=later)
    teach(policy, BAD, 0.05, start=later)
    counts = tally(policy, [GOOD, BAD], "a", later + timedelta(days=10), 200)
    assert counts[GOOD.prompt_id] >= 190


def test_only_ever_returns_one_of_the_candidates_it_was_given() -> None:
    policy = make_policy()
    teach(policy, GOOD, 0.5)
    library = [Candidate(i, f"cat{i % 3}") for i in range(3, 40)]
    rng = np.random.default_rng(5)
    for _ in range(200):
        size = int(rng.integers(1, 10))
        subset = [library[i] for i in rng.choice(len(library), size, replace=False)]
        pick = policy.pick(subset, PickContext("a", DAY0))
        assert pick.prompt_id in {c.prompt_id for c in subset}


def test_the_best_known_prompt_is_never_picked_while_blocked() -> None:
    policy = make_policy()
    teach(policy, GOOD, 0.5)
    others = [Candidate(i, "fun") for i in range(3, 8)]
    assert GOOD.prompt_id not in tally(policy, others, "a", DAY0 + timedelta(days=10), 100)


def test_no_candidates_is_an_error() -> None:
    with pytest.raises(ValueError):
        make_policy().pick([], PickContext("a", DAY0))


def test_a_new_channel_starts_from_the_pooled_posteriors() -> None:
    policy = make_policy()
    teach(policy, GOOD, 0.3)
    teach(policy, BAD, 0.05)
    counts = tally(policy, [GOOD, BAD], "brand-new", DAY0 + timedelta(days=10), 200)
    assert counts[GOOD.prompt_id] >= 190


def test_a_new_prompt_starts_from_its_category() -> None:
    policy = make_policy()
    for i in range(10, 20):
        teach(policy, Candidate(i, "loved"), 0.3, posts=3)
        teach(policy, Candidate(i + 10, "ignored"), 0.03, posts=3)
    fresh_loved, fresh_ignored = Candidate(100, "loved"), Candidate(101, "ignored")
    counts = tally(policy, [fresh_loved, fresh_ignored], "a", DAY0 + timedelta(days=3), 200)
    assert counts[fresh_loved.prompt_id] >= 180


def test_a_new_prompt_is_still_explored_next_to_a_known_average_one() -> None:
    policy = make_policy()
    known = Candidate(1, "fun")
    teach(policy, known, 0.1, posts=30)
    teach(policy, Candidate(2, "fun"), 0.1, posts=30)
    counts = tally(policy, [known, Candidate(3, "fun")], "a", DAY0 + timedelta(days=30), 300)
    assert 30 <= counts[3] <= 270


def test_picks_are_deterministic_under_a_seed() -> None:
    library = [Candidate(i, f"cat{i % 4}") for i in range(50)]

    def run(seed: int) -> list[tuple[int, float | None]]:
        policy = make_policy(seed)
        picks = []
        for day in range(20):
            at = DAY0 + timedelta(days=day)
            pick = policy.pick(library, PickContext("a", at))
            picks.append((pick.prompt_id, pick.probability))
            policy.observe(Outcome(pick.prompt_id, f"cat{pick.prompt_id % 4}", "a", 7, 50, at))
        return picks

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_pick_probability_is_a_share_of_draws_or_none() -> None:
    policy = make_policy(config=PolicyConfig(probability_draws=15))
    teach(policy, GOOD, 0.3)
    teach(policy, BAD, 0.05)
    pick = policy.pick([GOOD, BAD], PickContext("a", DAY0 + timedelta(days=10)))
    assert pick.probability == 1.0
    fifteen_draws = make_policy(config=PolicyConfig(probability_draws=15))
    uncertain = fifteen_draws.pick([GOOD, BAD], PickContext("a", DAY0))
    assert uncertain.probability is not None
    assert 1 / 16 <= uncertain.probability < 1.0
    no_draws = make_policy(config=PolicyConfig(probability_draws=0))
    assert no_draws.pick([GOOD], PickContext("a", DAY0)).probability is None


def test_state_round_trip_gives_the_same_picks() -> None:
    original = make_policy()
    teach(original, GOOD, 0.3, posts=3)
    teach(original, BAD, 0.05, posts=3)
    restored = make_policy()
    restored.load_state(original.state_dict())
    library = [GOOD, BAD, Candidate(3, "other")]
    for policy in (original, restored):
        policy._rng = np.random.default_rng(9)
    context = PickContext("b", DAY0 + timedelta(days=3))
    assert [original.pick(library, context) for _ in range(20)] == [
        restored.pick(library, context) for _ in range(20)
    ]


def test_a_young_channels_first_outcomes_are_recredited_once_its_base_is_known() -> None:
    policy = make_policy()
    usual = [Candidate(i, "fun") for i in range(10, 16)]
    for prompt in usual:
        teach(policy, prompt, 0.1, posts=5)
    first = Candidate(1, "fun")
    # A lively channel answers everything five times as often; its very first post was `first`.
    teach(policy, first, 0.5, channels=("lively",), posts=1)
    for day, prompt in enumerate(usual * 3, start=1):
        teach(policy, prompt, 0.5, channels=("lively",), posts=1, start=DAY0 + timedelta(days=day))
    # Judged against the lively channel's own base, `first` is just another average prompt.
    counts = tally(policy, [first, usual[0]], "a", DAY0 + timedelta(days=20), 400)
    assert counts[first.prompt_id] <= 300
