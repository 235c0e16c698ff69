"""The production learning loop: outcomes are recorded when windows close, fed to the policy
once, and replayed on restart; the production policy then prefers what engages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from bot.core.domain import PlatformName, PromptDraft, ReactionAdded, ReplyPosted
from bot.core.ports import UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer
from bot.engagement.members import MemberKeys
from bot.learning import PooledThompsonPolicy
from bot.learning.loop import LearningLoop
from bot.learning.selection import Candidate, Outcome, Pick, PickContext, Policy
from bot.service_layer.services import Tigerbird
from bot.testing.memory import MemoryStore
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import daily

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class RecordingPolicy:
    """Picks the first candidate; remembers every outcome it is shown."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []

    def pick(self, candidates: Sequence[Candidate], context: PickContext) -> Pick:
        return Pick(candidates[0].prompt_id, 1.0)

    def observe(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)


def _service(store: UnitOfWorkFactory, clock: FrozenClock, policy: Policy) -> Tigerbird:
    platform = FakePlatform(PlatformName.SLACK, clock)
    platforms = {platform.name: platform}
    deliverer = Deliverer(store, platforms, policy, clock)
    return Tigerbird(store, platforms, policy, clock, MemberKeys(b"k"), deliverer)


async def test_outcomes_are_recorded_once_and_replayed(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    policy = RecordingPolicy()
    service = _service(store, clock, policy)
    await service.sync_library(
        [PromptDraft(f"t/{i}", f"Which sound is cosy {i}?", "small-joys") for i in range(20)]
    )
    schedule = await daily(service)
    loop = LearningLoop(store, policy, clock)
    clock.advance(timedelta(hours=1))
    await service.post_due()
    at = clock.now() + timedelta(minutes=5)
    for member in ("a", "b", "c"):
        await service.handle_event(
            ReactionAdded(PlatformName.SLACK, "T1", "C1", "m1", member, "🐯", at)
        )
    await service.handle_event(ReplyPosted(PlatformName.SLACK, "T1", "C1", "t1", "a", at))
    late = clock.now() + timedelta(hours=30)
    await service.handle_event(ReactionAdded(PlatformName.SLACK, "T1", "C1", "m1", "d", "🐯", late))
    clock.advance(timedelta(hours=12))
    assert await loop.close_due() == 0  # the 24 h window is still open
    clock.advance(timedelta(hours=13))
    assert await loop.close_due() == 1
    assert await loop.close_due() == 0
    assert await loop.sync() == 1
    assert await loop.sync() == 0
    [outcome] = policy.outcomes
    assert (outcome.responders, outcome.audience) == (3, 4)  # d is active now, but came late
    assert outcome.category == "small-joys"
    assert outcome.channel_key == "slack:T1:C1"
    [post] = await service.posts_of(schedule.id)
    assert post.responders == 3
    restarted = RecordingPolicy()
    assert await LearningLoop(store, restarted, clock).sync() == 1
    assert restarted.outcomes == policy.outcomes
    chunked = RecordingPolicy()  # a replay streamed one outcome at a time: same outcomes
    assert await LearningLoop(store, chunked, clock, chunk_size=1).sync() == 1
    assert chunked.outcomes == policy.outcomes
    # A re-recorded outcome (as after `privacy forget`) is not learned twice by a live loop.
    async with store() as u:
        post.responders = post.audience = post.outcome_at = None
        await u.posts.update(post)
        await u.commit()
    clock.advance(timedelta(minutes=1))
    assert await loop.close_due() == 1
    assert await loop.sync() == 0
    assert len(policy.outcomes) == 1


async def test_production_policy_learns_to_prefer_the_engaging_prompt() -> None:
    store = MemoryStore()
    clock = FrozenClock(MONDAY_8)
    policy = PooledThompsonPolicy(np.random.default_rng(3))
    service = _service(store, clock, policy)
    drafts = [
        PromptDraft(f"t/{i}", f"Which view would you wake up to, {i}?", "places-travel")
        for i in range(6)
    ]
    await service.sync_library(drafts)
    loop = LearningLoop(store, policy, clock)
    for c in range(4):
        await daily(service, channel=f"C{c}")
    star = (await service.list_prompts())[0].id
    # Twelve days of posts in four channels; only the star prompt draws responses.
    for _ in range(12):
        clock.advance(timedelta(days=1))
        await service.post_due()
        for schedule in await service.list_schedules():
            for post in (await service.posts_of(schedule.id))[-1:]:
                for m in range(12):
                    member = f"{schedule.channel}-{m}"
                    if post.prompt_id == star and post.message_id and m < 8:
                        await service.handle_event(
                            ReactionAdded(
                                PlatformName.SLACK,
                                "T1",
                                schedule.channel,
                                post.message_id,
                                member,
                                "👍",
                                clock.now(),
                            )
                        )
        clock.advance(timedelta(hours=1))
        await loop.tick()
    candidates = [Candidate(p.id, p.category) for p in await service.list_prompts()]
    picks = [
        policy.pick(candidates, PickContext("slack:T9:new", clock.now())).prompt_id
        for _ in range(200)
    ]
    assert picks.count(star) > 150  # a brand-new channel inherits the pooled knowledge
