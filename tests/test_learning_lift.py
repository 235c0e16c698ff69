"""The lift estimator on synthetic posts whose true lift is known."""

from __future__ import annotations

import numpy as np
import pytest

from bot.learning.lift import MIN_POSTS, NOT_ENOUGH, PostObservation, estimate_lift

PROMPTS = 30


def _world(seed: int, sharpness: float) -> tuple[np.ndarray, np.ndarray, float]:
    """True rates, the policy's pick distribution, and the true lift (policy / uniform rate)."""
    rng = np.random.default_rng(10_000 + seed)
    logit = rng.normal(-2.2, 0.6, PROMPTS)
    rates = 1 / (1 + np.exp(-logit))
    weights = np.exp(sharpness * logit)
    policy = weights / weights.sum()
    return rates, policy, float(policy @ rates / rates.mean())


def _posts(
    seed: int,
    slots: int,
    holdout: float,
    sharpness: float = 1.5,
    overdispersion: float = 0.0,
) -> tuple[list[PostObservation], float]:
    rates, policy, true_lift = _world(seed, sharpness)
    rng = np.random.default_rng(seed)
    held = rng.random(slots) < holdout
    picks = np.where(held, rng.integers(PROMPTS, size=slots), rng.choice(PROMPTS, slots, p=policy))
    audience = rng.integers(10, 120, size=slots)
    rate = rates[picks]
    if overdispersion > 0:  # beta-binomial: members of one post respond together
        strength = (1 - overdispersion) / overdispersion
        rate = rng.beta(rate * strength, (1 - rate) * strength)
    responders = rng.binomial(audience, rate)
    posts = [
        PostObservation(
            arm="holdout" if held[i] else "policy",
            responders=int(responders[i]),
            audience=int(audience[i]),
            uniform_propensity=1 / PROMPTS,
            policy_propensity=float(policy[picks[i]]),
        )
        for i in range(slots)
    ]
    return posts, true_lift


def _coverage(method: str, overdispersion: float, seeds: int = 300) -> float:
    covered = 0
    for seed in range(seeds):
        posts, truth = _posts(seed, 800, 0.10, overdispersion=overdispersion)
        estimate = getattr(estimate_lift(posts), method)
        assert estimate.ready, estimate.note
        covered += estimate.low <= truth <= estimate.high
    return covered / seeds


@pytest.mark.parametrize("method", ["holdout", "off_policy"])
@pytest.mark.parametrize("overdispersion", [0.0, 0.05])
def test_the_90_percent_interval_covers_the_true_lift_about_90_percent_of_the_time(
    method: str, overdispersion: float
) -> None:
    coverage = _coverage(method, overdispersion)
    assert 0.84 <= coverage <= 0.96, coverage


def test_a_policy_that_learned_shows_a_lift_above_one_and_a_random_one_does_not() -> None:
    learned, truth = _posts(1, 3000, 0.10, sharpness=3.0)
    report = estimate_lift(learned)
    assert truth > 1.3
    assert report.holdout.low is not None and report.holdout.low > 1.0
    assert report.off_policy.low is not None and report.off_policy.low > 1.0
    unlearned, truth = _posts(1, 3000, 0.10, sharpness=0.0)
    assert truth == pytest.approx(1.0)
    flat = estimate_lift(unlearned).holdout
    assert flat.low is not None and flat.high is not None
    assert flat.low < 1.0 < flat.high


def test_the_estimate_counts_the_posts_it_rests_on() -> None:
    posts, _ = _posts(3, 500, 0.2)
    report = estimate_lift(posts)
    holdout = sum(p.arm == "holdout" for p in posts)
    assert report.holdout_posts == holdout
    assert report.policy_posts == 500 - holdout
    assert report.holdout.posts == 500
    assert report.off_policy.posts == 500 - holdout


def test_below_the_stated_size_there_is_no_number_only_not_enough_data() -> None:
    posts, _ = _posts(4, 400, 0.10)
    holdout = [p for p in posts if p.arm == "holdout"][: MIN_POSTS - 1]
    policy = [p for p in posts if p.arm == "policy"]
    report = estimate_lift(holdout + policy)
    assert report.holdout.lift is None and not report.holdout.ready
    assert report.holdout.note.startswith(NOT_ENOUGH)
    assert NOT_ENOUGH in report.holdout.describe()
    assert report.off_policy.ready  # the policy posts alone suffice for the off-policy estimate


def test_without_propensities_the_off_policy_estimate_waits() -> None:
    posts, _ = _posts(5, 400, 0.10)
    stripped = [
        PostObservation(p.arm, p.responders, p.audience, p.uniform_propensity) for p in posts
    ]
    report = estimate_lift(stripped)
    assert report.off_policy.lift is None and report.off_policy.posts == 0
    assert report.holdout.ready


def test_an_arm_without_any_responder_has_no_lift_yet() -> None:
    posts = [PostObservation("policy", 3, 50, 0.1, 0.2) for _ in range(MIN_POSTS)]
    posts += [PostObservation("holdout", 0, 50, 0.1, 0.2) for _ in range(MIN_POSTS)]
    report = estimate_lift(posts)
    assert report.holdout.lift is None and "no responders" in report.holdout.note


def test_describe_reads_as_a_ratio_with_its_interval() -> None:
    posts, _ = _posts(6, 2000, 0.10)
    estimate = estimate_lift(posts).holdout
    text = estimate.describe()
    assert text.startswith(f"{estimate.lift:.2f}x random (90 % interval ")
    assert text.endswith("2000 posts")


@pytest.mark.parametrize(
    ("post", "field"),
    [
        (PostObservation("control", 1, 10, 0.1), "arm"),  # type: ignore[arg-type]
        (PostObservation("policy", 11, 10, 0.1), "responders"),
        (PostObservation("policy", 1, 10, 0.0), "uniform_propensity"),
        (PostObservation("policy", 1, 10, 0.1, 1.5), "policy_propensity"),
    ],
)
def test_bad_observations_are_refused_naming_the_field(post: PostObservation, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        estimate_lift([post])
