"""The production holdout: how each post was picked is stored, and the lift is measured from it
(memory, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.core.domain import PlatformName, Post, PostStatus, ScheduleSpec
from bot.core.ports import NewSchedule, PickProvenance, UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer, DeliveryConfig
from bot.delivery.holdout import is_holdout, parse_share, pick_with_holdout
from bot.engagement.members import MemberKeys
from bot.learning import PolicyConfig, PooledThompsonPolicy
from bot.learning.lift import MIN_POSTS
from bot.learning.selection import Candidate, PickContext, UniformPolicy
from bot.service_layer.lift import measured_lift, measured_lifts
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import daily, drafts, make_service
from tests.test_storage_contract import _prompt, _schedule

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def _post_days(store: UnitOfWorkFactory, config: DeliveryConfig, days: int) -> list[Post]:
    clock = FrozenClock(MONDAY_8)
    service, _ = make_service(store, clock, config=config)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    for _ in range(days):
        clock.advance(timedelta(days=1))
        await service.post_due()
    return await service.posts_of(schedule.id)


async def test_a_full_holdout_picks_uniformly_and_says_so(store: UnitOfWorkFactory) -> None:
    posts = await _post_days(store, DeliveryConfig(holdout=1.0), 20)
    assert [p.status for p in posts] == [PostStatus.SENT] * 20
    assert {p.pick_arm for p in posts} == {"holdout"}
    assert {p.pick_probability for p in posts} == {None}  # the policy was not asked
    assert [p.pick_eligible for p in posts] == list(range(20, 0, -1))  # the no-repeat window
    assert len({p.prompt_id for p in posts}) == 20  # ... applies to holdout picks too


async def test_without_holdout_every_post_is_the_policys_with_its_propensity(
    store: UnitOfWorkFactory,
) -> None:
    posts = await _post_days(store, DeliveryConfig(holdout=0.0), 5)
    assert {p.pick_arm for p in posts} == {"policy"}
    assert [p.pick_eligible for p in posts] == [20, 19, 18, 17, 16]
    assert [p.pick_probability for p in posts] == [1 / n for n in (20, 19, 18, 17, 16)]


async def test_a_communitys_own_holdout_overrides_the_default(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    service, _ = make_service(store, clock, config=DeliveryConfig(holdout=0.0))
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    community = await service.community(PlatformName.SLACK, "T1")
    assert community is not None and community.holdout is None
    await service.update_community(replace(community, holdout=1.0))
    stored = await service.community(PlatformName.SLACK, "T1")
    assert stored is not None and stored.holdout == 1.0
    clock.advance(timedelta(days=1))
    await service.post_due()
    [post] = await service.posts_of(schedule.id)
    assert post.pick_arm == "holdout"


def test_the_holdout_takes_its_share_of_slots_and_picks_evenly() -> None:
    markers = [f"tb:{s}:{1_770_000_000 + 86_400 * d}" for s in range(50) for d in range(400)]
    share = sum(is_holdout(m, 0.10) for m in markers) / len(markers)
    assert 0.095 < share < 0.105
    assert not any(is_holdout(m, 0.0) for m in markers)
    assert all(is_holdout(m, 1.0) for m in markers)
    candidates = [Candidate(i, "c") for i in range(4)]
    context = PickContext("k", MONDAY_8)
    policy = UniformPolicy(np.random.default_rng(0))
    counts = Counter(
        pick_with_holdout(policy, candidates, context, m, 1.0)[0].prompt_id for m in markers[:4000]
    )
    assert set(counts) == {0, 1, 2, 3} and min(counts.values()) > 900


@pytest.mark.parametrize(
    ("text", "share"), [("0", 0.0), ("0.25", 0.25), ("10%", 0.10), ("1", 1.0), ("default", None)]
)
def test_a_holdout_share_reads_as_a_share_a_percentage_or_default(
    text: str, share: float | None
) -> None:
    assert parse_share(text) == share


@pytest.mark.parametrize("text", ["1.5", "-0.1", "ten", "nan", "150%"])
def test_a_bad_holdout_share_names_the_allowed_values(text: str) -> None:
    with pytest.raises(ValueError, match=r"holdout: .* must be a share between 0 and 1"):
        parse_share(text)


async def test_provenance_is_stored_and_read_back(store: UnitOfWorkFactory) -> None:
    schedule_id, prompt_id = await _schedule(store), await _prompt(store)
    provenance = PickProvenance("policy", 12, 16)
    async with store() as u:
        claimed = await u.posts.claim(
            schedule_id, MONDAY_8, "tb:x", prompt_id, 0.25, MONDAY_8, provenance=provenance
        )
        plain = await u.posts.claim(
            schedule_id, MONDAY_8 + timedelta(days=1), "tb:y", prompt_id, None, MONDAY_8
        )
        await u.commit()
    assert claimed is not None and plain is not None
    assert (claimed.pick_arm, claimed.pick_eligible, claimed.pick_draws) == ("policy", 12, 16)
    async with store() as u:
        stored = await u.posts.get(claimed.id)
        other = await u.posts.get(plain.id)
    assert stored is not None and other is not None
    assert (stored.pick_arm, stored.pick_eligible, stored.pick_draws) == ("policy", 12, 16)
    assert stored.pick_probability == 0.25
    assert (other.pick_arm, other.pick_eligible, other.pick_draws) == (None, None, None)


async def _closed_post(
    store: UnitOfWorkFactory,
    schedule_id: int,
    prompt_id: int,
    day: int,
    arm: str,
    responders: int,
    status: PostStatus = PostStatus.SENT,
) -> None:
    slot = MONDAY_8 + timedelta(days=day)
    probability = 0.5 if arm == "policy" else None
    async with store() as u:
        post = await u.posts.claim(
            schedule_id, slot, f"tb:{schedule_id}:{day}", prompt_id, probability, slot,
            provenance=PickProvenance(arm, 10, 16 if arm == "policy" else None),
        )  # fmt: skip
        assert post is not None
        post.status, post.responders, post.audience = status, responders, 40
        post.outcome_at = slot + timedelta(days=1)
        await u.posts.update(post)
        await u.commit()


async def test_pick_outcomes_are_the_closed_sent_posts_of_one_community_or_all(
    store: UnitOfWorkFactory,
) -> None:
    prompt_id = await _prompt(store)
    here = await _schedule(store, "general")
    async with store() as u:
        community = await u.communities.ensure(PlatformName.DISCORD, "G2", "Other")
        await u.commit()
    async with store() as u:
        there = (
            await u.schedules.add(NewSchedule(community.id, "C9", ScheduleSpec()), MONDAY_8)
        ).id
        await u.commit()
    await _closed_post(store, here, prompt_id, 0, "policy", 8)
    await _closed_post(store, here, prompt_id, 1, "holdout", 3)
    await _closed_post(store, here, prompt_id, 2, "policy", 5, PostStatus.FAILED)
    await _closed_post(store, there, prompt_id, 0, "holdout", 1)
    async with store() as u:
        everything = await u.posts.pick_outcomes()
        mine = await u.posts.pick_outcomes(community.id)
        first = await u.posts.pick_outcomes(everything[0].community_id)
    assert sorted((o.arm, o.responders) for o in everything) == [
        ("holdout", 1), ("holdout", 3), ("policy", 8),
    ]  # fmt: skip
    assert [(o.arm, o.pick_probability, o.eligible, o.audience) for o in mine] == [
        ("holdout", None, 10, 40)
    ]
    assert len(first) == 2 and all(o.community_id != community.id for o in first)


async def test_the_lift_is_measured_per_community_and_across_all(store: UnitOfWorkFactory) -> None:
    schedule_id, prompt_id = await _schedule(store), await _prompt(store)
    # Policy posts draw 12 of 40, holdout posts 6 of 40: a lift of exactly 2 on this data.
    for day in range(MIN_POSTS):
        await _closed_post(store, schedule_id, prompt_id, 2 * day, "policy", 11 + 2 * (day % 2))
        await _closed_post(store, schedule_id, prompt_id, 2 * day + 1, "holdout", 5 + 2 * (day % 2))
    lift = await measured_lift(store)
    assert (lift.policy_posts, lift.holdout_posts) == (MIN_POSTS, MIN_POSTS)
    assert lift.holdout.lift == pytest.approx(2.0)
    assert lift.holdout.low is not None and lift.holdout.high is not None
    assert 1.0 < lift.holdout.low < 2.0 < lift.holdout.high
    # The off-policy weights are all equal here (every pick had 0.5 and 1/10): its lift is 1.
    assert lift.off_policy.lift == pytest.approx(1.0)
    lifts = await measured_lifts(store)
    [community_id] = lifts.by_community
    assert lifts.by_community[community_id].holdout.lift == pytest.approx(2.0)
    assert lifts.of(community_id + 999).holdout.ready is False
    assert lifts.of(community_id + 999).holdout.posts == 0


async def test_a_thompson_pick_stores_its_estimated_propensity_and_the_draws_behind_it(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    platform = FakePlatform(PlatformName.SLACK, clock)
    policy = PooledThompsonPolicy(np.random.default_rng(3), PolicyConfig(probability_draws=40))
    deliverer = Deliverer(
        store, {platform.name: platform}, policy, clock, DeliveryConfig(holdout=0.0)
    )
    service = Tigerbird(
        store, {platform.name: platform}, policy, clock, MemberKeys(b"k"), deliverer
    )
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    clock.advance(timedelta(days=1))
    await service.post_due()
    [post] = await service.posts_of(schedule.id)
    assert (post.pick_arm, post.pick_eligible, post.pick_draws) == ("policy", 20, 40)
    assert post.pick_probability is not None
    # (wins + 1) / (draws + 1): a multiple of 1/41 in (0, 1].
    assert round(post.pick_probability * 41, 9) == round(post.pick_probability * 41)
