"""The policy's measured lift over random picks, from the posts stored with their provenance.

`measured_lift` is the one entry point for every view (CLI stats, chat stats, the weekly
digest, the dashboard): one community's lift, or every community's together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.ports import PickOutcome, UnitOfWorkFactory
from bot.learning.lift import Arm, LiftReport, PostObservation, estimate_lift


def observation(outcome: PickOutcome) -> PostObservation:
    """A stored post as the estimator reads it (a holdout pick's policy propensity is unknown)."""
    arm: Arm = "holdout" if outcome.arm == "holdout" else "policy"
    return PostObservation(
        arm=arm,
        responders=outcome.responders,
        audience=max(outcome.audience, outcome.responders, 1),
        uniform_propensity=1.0 / max(outcome.eligible, 1),
        policy_propensity=outcome.pick_probability if arm == "policy" else None,
    )


def lift_of(outcomes: Iterable[PickOutcome]) -> LiftReport:
    """The lift estimated from these closed posts."""
    return estimate_lift(observation(o) for o in outcomes)


@dataclass(frozen=True)
class CommunityLifts:
    """The lift across every community, and each community's own."""

    overall: LiftReport
    by_community: dict[int, LiftReport]

    def of(self, community_id: int) -> LiftReport:
        """One community's lift ("not enough data yet" if it has no such post)."""
        return self.by_community.get(community_id) or lift_of(())


async def measured_lift(uow: UnitOfWorkFactory, community_id: int | None = None) -> LiftReport:
    """The policy's lift over random in one community (or in all, if None)."""
    async with uow() as u:
        outcomes = await u.posts.pick_outcomes(community_id)
    return lift_of(outcomes)


async def measured_lifts(uow: UnitOfWorkFactory) -> CommunityLifts:
    """The overall lift and each community's, from one read."""
    async with uow() as u:
        outcomes = await u.posts.pick_outcomes(None)
    communities = sorted({o.community_id for o in outcomes})
    return CommunityLifts(
        lift_of(outcomes),
        {c: lift_of(o for o in outcomes if o.community_id == c) for c in communities},
    )
