"""The start-up replay (streamed in chunks) leaves the policy exactly as a live loop that
learned the same outcomes one sync at a time."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import numpy as np

from bot.core.domain import PlatformName, PostStatus, PromptDraft, PromptSource, ScheduleSpec
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.learning import PooledThompsonPolicy
from bot.learning.loop import LearningLoop, _PostIds
from bot.learning.selection import Candidate, PickContext
from bot.testing.platform import FrozenClock
from tests.conftest import START

ZONES = ("UTC", "Europe/Paris", "America/Los_Angeles")


async def _world(store: UnitOfWorkFactory) -> tuple[list[int], list[Candidate]]:
    async with store() as u:
        schedules = []
        for c in range(6):
            community = await u.communities.ensure(PlatformName.DISCORD, f"G{c % 2}")
            spec = ScheduleSpec(times=(time(9, 0),), timezone=ZONES[c % 3])
            schedule = await u.schedules.add(NewSchedule(community.id, f"C{c}", spec), START)
            schedules.append(schedule.id)
        candidates = []
        for k in range(5):
            draft = PromptDraft(f"r/{k}", f"Sea or mountains, take {k}?", f"cat-{k % 2}")
            prompt = await u.prompts.add(draft, PromptSource.BUILTIN)
            candidates.append(Candidate(prompt.id, prompt.category))
        await u.commit()
    return schedules, candidates


async def _close_day(
    store: UnitOfWorkFactory, day: int, schedules: list[int], prompts: list[Candidate]
) -> None:
    """Each schedule's post of `day`, closed with a recorded outcome (one without a prompt)."""
    slot = START + timedelta(days=day)
    async with store() as u:
        for s, schedule_id in enumerate(schedules):
            prompt_id = None if (day, s) == (3, 2) else prompts[(day + s) % 5].prompt_id
            post = await u.posts.claim(schedule_id, slot, f"tb:{s}:{day}", prompt_id, None, slot)
            assert post is not None
            post.status = PostStatus.SENT
            post.responders, post.audience = (day * 7 + s * 3) % 11, 20 + s
            post.outcome_at = slot + timedelta(days=1, minutes=s)
            await u.posts.update(post)
        await u.commit()


def _assert_same_state(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], np.ndarray):
            assert np.array_equal(a[key], b[key]), key
        else:
            assert a[key] == b[key], key


async def test_a_chunked_replay_equals_the_policy_fed_one_sync_at_a_time(
    store: UnitOfWorkFactory,
) -> None:
    schedules, prompts = await _world(store)
    clock = FrozenClock(START)
    live = PooledThompsonPolicy(np.random.default_rng(7))
    loop = LearningLoop(store, live, clock)
    for day in range(60):
        await _close_day(store, day, schedules, prompts)
        await loop.sync()

    replayed = PooledThompsonPolicy(np.random.default_rng(7))
    learned = await LearningLoop(store, replayed, clock, chunk_size=7).sync()

    assert learned == loop.observed == 60 * len(schedules) - 1  # one post had no prompt
    _assert_same_state(live.state_dict()["stats"], replayed.state_dict()["stats"])
    assert live.state_dict()["attribution"] == replayed.state_dict()["attribution"]
    later = START + timedelta(days=61)
    for policy_picks in zip(
        *[
            [p.pick(prompts, PickContext(f"discord:G0:C{c}", later)) for c in range(6)]
            for p in (live, replayed)
        ],
        strict=True,
    ):
        assert policy_picks[0] == policy_picks[1]


def test_the_learned_post_ids_are_a_set() -> None:
    ids = _PostIds()
    added = [ids.add(i) for i in (1, 9, 100_003, 9, 0, 100_003, 8)]
    assert added == [True, True, True, False, True, False, True]
