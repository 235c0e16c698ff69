"""Recycling proven prompts (bot.delivery.recycle) at the delivery level, on every store: when
the no-repeat window leaves nothing (or on every slot, per the `recycle` setting), the prompts
whose engagement interval is in the channel's top quartile come back after `recycle_after_days`,
never sooner."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.domain import CatchUp, Post, PostStatus, Schedule
from bot.core.library_health import LibraryHealthSettings, RecycleMode
from bot.core.ports import UnitOfWorkFactory
from bot.delivery.recycle import proven, recyclable, wilson_lower
from bot.learning.selection import Candidate
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FrozenClock
from tests.helpers import daily, drafts, make_service

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _post(pid: int, day: int, responders: int, audience: int = 10) -> Post:
    at = MONDAY_9 + timedelta(days=day)
    return Post(day + 1, 1, pid, at, PostStatus.SENT, f"m{day}", responders=responders,
                audience=audience)  # fmt: skip


def test_wilson_lower_bound_prefers_more_evidence() -> None:
    assert wilson_lower(0, 0) == 0.0
    assert 0.0 < wilson_lower(5, 10) < 0.5
    assert wilson_lower(50, 100) > wilson_lower(5, 10)


def test_proven_is_the_top_quartile_of_measured_prompts_in_the_pool() -> None:
    pool = [Candidate(i, "food") for i in range(1, 9)]
    posts = [_post(i, i, responders=i) for i in range(1, 9)]  # prompt 8 engages most
    posts.append(_post(99, 20, responders=10))  # not in the pool: never counted
    assert proven(posts, pool) == {7, 8}


def test_recyclable_skips_prompts_posted_within_recycle_after_days() -> None:
    pool = [Candidate(i, "food") for i in range(1, 5)]
    posts = [_post(i, i, responders=i * 2) for i in range(1, 5)]
    slot = MONDAY_9 + timedelta(days=34)
    assert [c.prompt_id for c in recyclable(posts, pool, slot, 30)] == []  # day 4: 30 days ago
    later = slot + timedelta(days=1)
    assert [c.prompt_id for c in recyclable(posts, pool, later, 30)] == [4]


async def _posted_history(
    store: UnitOfWorkFactory, prompts: int, posts: int, window: int, settings: LibraryHealthSettings
) -> tuple[Tigerbird, FrozenClock, Schedule, int]:
    """A daily channel that posted `posts` slots; the first post engaged 9 of 10, the others 1
    of 10. Returns the service, the clock (at the last post), the schedule and the best prompt."""
    clock = FrozenClock(MONDAY_9 - timedelta(hours=1))
    service, _ = make_service(store, clock)
    await service.sync_library(drafts(prompts))
    schedule = await daily(service, catch_up=CatchUp.SKIP)
    schedule = await service.update_schedule(replace(schedule, repeat_window_days=window))
    await service.update_health_settings(schedule.community_id, settings)
    clock.advance(timedelta(hours=1))
    for day in range(posts):
        if day:
            clock.advance(timedelta(days=1))
        assert await service.post_due() == 1
    sent = sorted(await service.posts_of(schedule.id), key=lambda p: p.slot_at)
    async with store() as u:
        for i, post in enumerate(sent):
            await u.posts.update(replace(post, responders=9 if i == 0 else 1, audience=10))
        await u.commit()
    assert sent[0].prompt_id is not None
    return service, clock, schedule, sent[0].prompt_id


async def _next_post(service: Tigerbird, clock: FrozenClock, schedule: Schedule, days: int) -> Post:
    clock.advance(timedelta(days=days))
    assert await service.post_due() == 1
    return max(
        (p for p in await service.posts_of(schedule.id) if p.status is PostStatus.SENT),
        key=lambda p: p.slot_at,
    )


async def test_when_empty_brings_back_the_proven_prompt_after_recycle_after_days(
    store: UnitOfWorkFactory,
) -> None:
    settings = LibraryHealthSettings(RecycleMode.WHEN_EMPTY, recycle_after_days=30)
    service, clock, schedule, best = await _posted_history(store, 4, 4, 365, settings)
    post = await _next_post(service, clock, schedule, 40)
    assert post.prompt_id == best and post.pick_eligible == 1


async def test_recycling_never_brings_a_prompt_back_inside_recycle_after_days(
    store: UnitOfWorkFactory,
) -> None:
    settings = LibraryHealthSettings(RecycleMode.WHEN_EMPTY, recycle_after_days=30)
    service, clock, schedule, _ = await _posted_history(store, 4, 4, 365, settings)
    # 20 days on, nothing is recyclable yet: the last resort (the whole library) as before
    post = await _next_post(service, clock, schedule, 20)
    assert post.pick_eligible == 4


async def test_off_keeps_the_old_last_resort(store: UnitOfWorkFactory) -> None:
    settings = LibraryHealthSettings(RecycleMode.OFF, recycle_after_days=30)
    service, clock, schedule, _ = await _posted_history(store, 4, 4, 365, settings)
    post = await _next_post(service, clock, schedule, 40)
    assert post.pick_eligible == 4


async def test_always_adds_proven_prompts_to_the_eligible_ones(store: UnitOfWorkFactory) -> None:
    always = LibraryHealthSettings(RecycleMode.ALWAYS, recycle_after_days=30)
    service, clock, schedule, _ = await _posted_history(store, 8, 4, 365, always)
    post = await _next_post(service, clock, schedule, 40)
    assert post.pick_eligible == 5  # the 4 never posted plus the proven one


async def test_when_empty_leaves_a_non_empty_eligible_set_alone(store: UnitOfWorkFactory) -> None:
    settings = LibraryHealthSettings(RecycleMode.WHEN_EMPTY, recycle_after_days=30)
    service, clock, schedule, _ = await _posted_history(store, 8, 4, 365, settings)
    post = await _next_post(service, clock, schedule, 40)
    assert post.pick_eligible == 4


async def test_settings_are_kept_per_community(store: UnitOfWorkFactory) -> None:
    service, _ = make_service(store, FrozenClock(MONDAY_9))
    changed = LibraryHealthSettings(RecycleMode.ALWAYS, 90, anonymous_suggestions=True)
    await service.update_health_settings(1, changed)
    assert await service.health_settings(1) == changed
    assert await service.health_settings(2) == LibraryHealthSettings()
