"""How much better the policy's picks engage than random picks: the lift, with a 90 % interval.

Definition. The engagement rate of a set of posts is their pooled share of responders,
sum(responders) / sum(audience). The lift is a ratio:

    lift = rate of the posts the policy picked / rate of uniformly random picks

so 1.30 reads "the policy's prompts drew 30 % more responders than random ones" and 1.0 is
"no better than random". Two estimates are given:

- `holdout`: the randomized comparison. A share of slots (the holdout) gets a prompt drawn
  uniformly from the eligible set; the lift is the policy posts' rate over the holdout posts'
  rate. Unbiased by design, but it rests only on the few holdout posts.
- `off_policy`: self-normalized inverse-propensity weighting. The random picks' rate is
  re-estimated from the policy's own posts, each weighted by how much likelier a uniform pick
  was to choose that prompt than the policy (uniform propensity / policy propensity). It needs
  the policy's propensity of each pick and rests on every policy post; it is as good as those
  propensities (Thompson sampling's are estimated by resampling its posterior).

Intervals come from the delta method on the log of the lift, with a per-post (cluster)
variance, so responders correlated within one post do not make them too narrow. Below
`MIN_POSTS` posts in an arm (or with no responder at all in one) the estimate says
"not enough data yet" instead of a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np

Arm = Literal["policy", "holdout"]
ARMS: tuple[Arm, ...] = ("policy", "holdout")
# Fewest posts in each compared arm before a lift is shown (holdout posts for `holdout`,
# policy posts with a propensity for `off_policy`).
MIN_POSTS = 20
LEVEL = 0.90
NOT_ENOUGH = "not enough data yet"


@dataclass(frozen=True)
class PostObservation:
    """One closed post: how it was picked and what it drew.

    `policy_propensity` is the chance the policy gave the picked prompt (None when unknown);
    `uniform_propensity` is 1 / the number of eligible prompts at the time.
    """

    arm: Arm
    responders: int
    audience: int
    uniform_propensity: float
    policy_propensity: float | None = None


@dataclass(frozen=True)
class LiftEstimate:
    """A lift (policy rate / random rate) with its interval, or why there is none.

    `posts` is the number of posts the estimate rests on; `lift`, `low` and `high` are None
    when `note` says there is not enough data yet.
    """

    method: str
    posts: int
    lift: float | None = None
    low: float | None = None
    high: float | None = None
    level: float = LEVEL
    note: str = ""

    @property
    def ready(self) -> bool:
        return self.lift is not None

    def describe(self) -> str:
        """One line for people: '1.32x random (90 % interval 1.10-1.58), 240 posts'."""
        if self.lift is None or self.low is None or self.high is None:
            return f"{self.note} ({self.posts} posts)"
        percent = round(self.level * 100)
        return (
            f"{self.lift:.2f}x random ({percent} % interval {self.low:.2f}-{self.high:.2f}), "
            f"{self.posts} posts"
        )


@dataclass(frozen=True)
class LiftReport:
    """Both estimates, and how many posts each arm holds."""

    holdout: LiftEstimate
    off_policy: LiftEstimate
    policy_posts: int
    holdout_posts: int


def estimate_lift(
    observations: Iterable[PostObservation], level: float = LEVEL, min_posts: int = MIN_POSTS
) -> LiftReport:
    """The policy's lift over random from closed posts (see the module docstring)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1 (exclusive), got {level}")
    posts = list(observations)
    for post in posts:
        _check(post)
    policy = [p for p in posts if p.arm == "policy"]
    holdout = [p for p in posts if p.arm == "holdout"]
    z = NormalDist().inv_cdf(0.5 + level / 2)
    return LiftReport(
        holdout=_holdout_estimate(policy, holdout, z, level, min_posts),
        off_policy=_off_policy_estimate(policy, z, level, min_posts),
        policy_posts=len(policy),
        holdout_posts=len(holdout),
    )


def _check(post: PostObservation) -> None:
    if post.arm not in ARMS:
        raise ValueError(f"arm must be one of {', '.join(ARMS)}, got {post.arm!r}")
    if post.responders < 0 or post.audience < max(post.responders, 1):
        raise ValueError(
            f"need 0 <= responders <= audience and audience >= 1, got "
            f"{post.responders} of {post.audience}"
        )
    if not 0.0 < post.uniform_propensity <= 1.0:
        raise ValueError(f"uniform_propensity must be in (0, 1], got {post.uniform_propensity}")
    if post.policy_propensity is not None and not 0.0 < post.policy_propensity <= 1.0:
        raise ValueError(f"policy_propensity must be in (0, 1], got {post.policy_propensity}")


def _holdout_estimate(
    policy: Sequence[PostObservation],
    holdout: Sequence[PostObservation],
    z: float,
    level: float,
    min_posts: int,
) -> LiftEstimate:
    posts = len(policy) + len(holdout)
    if len(policy) < min_posts or len(holdout) < min_posts:
        note = f"{NOT_ENOUGH}: needs {min_posts} policy and {min_posts} holdout posts"
        return LiftEstimate("holdout", posts, level=level, note=note)
    r_p, a_p = _arrays(policy)
    r_h, a_h = _arrays(holdout)
    if r_p.sum() == 0 or r_h.sum() == 0:
        note = f"{NOT_ENOUGH}: no responders yet in one arm"
        return LiftEstimate("holdout", posts, level=level, note=note)
    log_lift = np.log(r_p.sum() / a_p.sum()) - np.log(r_h.sum() / a_h.sum())
    variance = _variance([r_p / r_p.sum() - a_p / a_p.sum()]) + _variance(
        [r_h / r_h.sum() - a_h / a_h.sum()]
    )
    return _interval("holdout", posts, float(log_lift), variance, z, level)


def _off_policy_estimate(
    policy: Sequence[PostObservation], z: float, level: float, min_posts: int
) -> LiftEstimate:
    known = [p for p in policy if p.policy_propensity is not None]
    if len(known) < min_posts:
        note = f"{NOT_ENOUGH}: needs {min_posts} policy posts with a logged propensity"
        return LiftEstimate("off_policy", len(known), level=level, note=note)
    r, a = _arrays(known)
    weight = np.array([p.uniform_propensity / (p.policy_propensity or 1.0) for p in known])
    wr, wa = weight * r, weight * a
    if r.sum() == 0 or wr.sum() == 0:
        note = f"{NOT_ENOUGH}: no responders yet"
        return LiftEstimate("off_policy", len(known), level=level, note=note)
    # log lift = log sum r - log sum a - log sum wr + log sum wa; each post's influence:
    log_lift = np.log(r.sum()) - np.log(a.sum()) - np.log(wr.sum()) + np.log(wa.sum())
    influence = r / r.sum() - a / a.sum() - wr / wr.sum() + wa / wa.sum()
    return _interval("off_policy", len(known), float(log_lift), _variance([influence]), z, level)


def _arrays(posts: Sequence[PostObservation]) -> tuple[np.ndarray, np.ndarray]:
    responders = np.array([p.responders for p in posts], dtype=float)
    audience = np.array([p.audience for p in posts], dtype=float)
    return responders, audience


def _variance(influences: Sequence[np.ndarray]) -> float:
    """Variance of a sum of per-post terms, each list entry one independent arm of n posts
    (the terms sum to zero, so this is n/(n-1) times their sum of squares)."""
    total = 0.0
    for terms in influences:
        n = terms.size
        total += float(np.sum((terms - terms.mean()) ** 2)) * n / (n - 1)
    return total


def _interval(
    method: str, posts: int, log_lift: float, variance: float, z: float, level: float
) -> LiftEstimate:
    spread = z * float(np.sqrt(variance))
    return LiftEstimate(
        method,
        posts,
        lift=float(np.exp(log_lift)),
        low=float(np.exp(log_lift - spread)),
        high=float(np.exp(log_lift + spread)),
        level=level,
    )
