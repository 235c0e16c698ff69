"""One contract for every store: memory, SQLite and PostgreSQL must behave alike."""

from __future__ import annotations

from datetime import time, timedelta

from bot.core.domain import (
    Choice,
    PlatformName,
    PostStatus,
    PromptDraft,
    PromptSource,
    PromptStatus,
    ResponseKind,
    ScheduleSpec,
)
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.scheduling.slots import spread_key
from tests.conftest import START


async def _schedule(store: UnitOfWorkFactory, channel: str = "general") -> int:
    async with store() as u:
        community = await u.communities.ensure(PlatformName.SLACK, "T1", "Acme")
        spec = ScheduleSpec(times=(time(9, 0),), timezone="Europe/Paris")
        schedule = await u.schedules.add(NewSchedule(community.id, channel, spec), START)
        await u.commit()
    return schedule.id


async def _prompt(store: UnitOfWorkFactory, key: str = "p/1") -> int:
    async with store() as u:
        draft = PromptDraft(
            key,
            "Tiger or bluebird?",
            "this-or-that",
            ("animals",),
            (Choice("🐯", "tiger"), Choice("🐦", "bluebird")),
            "p",
        )
        prompt = await u.prompts.add(draft, PromptSource.BUILTIN)
        await u.commit()
    return prompt.id


async def test_community_ensure_is_idempotent(store: UnitOfWorkFactory) -> None:
    async with store() as u:
        first = await u.communities.ensure(PlatformName.DISCORD, "G1", "Guild")
        second = await u.communities.ensure(PlatformName.DISCORD, "G1", "Guild")
        await u.commit()
    assert first.id == second.id
    async with store() as u:
        assert len(await u.communities.all()) == 1


async def test_uncommitted_work_is_rolled_back(store: UnitOfWorkFactory) -> None:
    async with store() as u:
        await u.communities.ensure(PlatformName.DISCORD, "G1")
    async with store() as u:
        assert await u.communities.all() == []


async def test_prompt_round_trip_keeps_choices_and_tags(store: UnitOfWorkFactory) -> None:
    prompt_id = await _prompt(store)
    async with store() as u:
        prompt = await u.prompts.get(prompt_id)
        assert prompt is not None
        assert prompt.choices == (Choice("🐯", "tiger"), Choice("🐦", "bluebird"))
        assert prompt.tags == ("animals",)
        prompt.status = PromptStatus.RETIRED
        await u.prompts.update(prompt)
        await u.commit()
    async with store() as u:
        assert await u.prompts.all() == []
        assert len(await u.prompts.all(status=None)) == 1


async def test_claim_is_once_per_slot(store: UnitOfWorkFactory) -> None:
    schedule_id, prompt_id = await _schedule(store), await _prompt(store)
    async with store() as u:
        first = await u.posts.claim(schedule_id, START, "tb:1", prompt_id, 0.5, START)
        second = await u.posts.claim(schedule_id, START, "tb:1", prompt_id, 0.5, START)
        await u.commit()
    assert first is not None and first.status is PostStatus.CLAIMED
    assert second is None
    async with store() as u:
        assert len(await u.posts.all(schedule_id)) == 1


async def test_due_schedules_and_earliest_slot(store: UnitOfWorkFactory) -> None:
    schedule_id = await _schedule(store)
    async with store() as u:
        assert await u.schedules.lock_due(START - timedelta(seconds=1), 10) == []
        due = await u.schedules.lock_due(START, 10)
        assert [s.id for s in due] == [schedule_id]
        assert due[0].next_slot_at == START
        assert await u.schedules.earliest_next_slot() == START
        due[0].paused = True
        await u.schedules.update(due[0])
        await u.commit()
    async with store() as u:
        assert await u.schedules.lock_due(START, 10) == []


async def test_due_schedules_interleave_communities(store: UnitOfWorkFactory) -> None:
    """Ten workspaces of ten channels, created one workspace after another, all due at once:
    the first claim batch reaches most workspaces (their limits are per workspace)."""
    spec = ScheduleSpec(times=(time(9, 0),), timezone="UTC")
    owner: dict[int, str] = {}
    async with store() as u:
        for team in range(10):
            community = await u.communities.ensure(PlatformName.SLACK, f"T{team}", "")
            for channel in range(10):
                new = NewSchedule(community.id, f"C{channel}", spec)
                owner[(await u.schedules.add(new, START)).id] = f"T{team}"
        earlier = await u.schedules.add(NewSchedule(community.id, "early", spec), START)
        earlier.next_slot_at = START - timedelta(hours=1)
        await u.schedules.update(earlier)
        await u.commit()
    async with store() as u:
        due = [s.id for s in await u.schedules.lock_due(START, 200)]
        first_batch = await u.schedules.lock_due(START, 11)
    assert due[0] == earlier.id  # the earliest slot first
    assert due[1:] == sorted(owner, key=lambda i: (spread_key(i), i))
    assert len({owner[s.id] for s in first_batch[1:]}) >= 6


async def test_take_over_is_compare_and_set(store: UnitOfWorkFactory) -> None:
    schedule_id, prompt_id = await _schedule(store), await _prompt(store)
    async with store() as u:
        post = await u.posts.claim(schedule_id, START, "tb:1", prompt_id, None, START)
        await u.commit()
    assert post is not None and post.claimed_at == START
    later = START + timedelta(minutes=5)
    async with store() as u:
        assert [p.id for p in await u.posts.stale_claims(START)] == [post.id]
        assert await u.posts.take_over(post.id, START, later)
        assert not await u.posts.take_over(post.id, START, later)
        await u.commit()
    async with store() as u:
        assert await u.posts.stale_claims(START) == []
        again = await u.posts.get(post.id)
        assert again is not None and again.attempts == 1


async def test_responses_are_idempotent_and_removable(store: UnitOfWorkFactory) -> None:
    schedule_id, prompt_id = await _schedule(store), await _prompt(store)
    async with store() as u:
        post = await u.posts.claim(schedule_id, START, "tb:1", prompt_id, None, START)
        assert post is not None
        assert await u.responses.add(post.id, "m1", ResponseKind.REACTION, "🐯", START)
        assert not await u.responses.add(post.id, "m1", ResponseKind.REACTION, "🐯", START)
        assert await u.responses.add(post.id, "m1", ResponseKind.REACTION, "🐦", START)
        assert await u.responses.remove(post.id, "m1", ResponseKind.REACTION, "🐯")
        assert not await u.responses.remove(post.id, "m1", ResponseKind.REACTION, "🐯")
        await u.commit()
    async with store() as u:
        assert [(m, k, e) for m, k, e, _ in await u.responses.for_post(post.id)] == [
            ("m1", ResponseKind.REACTION, "🐦")
        ]


async def test_post_lookup_by_message_or_thread(store: UnitOfWorkFactory) -> None:
    schedule_id, prompt_id = await _schedule(store), await _prompt(store)
    async with store() as u:
        post = await u.posts.claim(schedule_id, START, "tb:1", prompt_id, None, START)
        assert post is not None
        post.status, post.message_id, post.thread_id = PostStatus.SENT, "111.2", "th9"
        await u.posts.update(post)
        await u.commit()
    async with store() as u:
        by_message = await u.posts.by_message("general", "111.2")
        by_thread = await u.posts.by_message("th9", "th9")
        assert by_message is not None and by_message[0].id == post.id
        assert by_thread is not None and by_thread[1].id == schedule_id
        assert await u.posts.by_message("random", "111.2") is None
        assert await u.posts.latest_sent(schedule_id, START + timedelta(days=1)) is not None
        assert await u.posts.recent_prompt_ids(schedule_id, START) == {prompt_id}


async def test_audience_counts_distinct_recent_members(store: UnitOfWorkFactory) -> None:
    async with store() as u:
        community = await u.communities.ensure(PlatformName.SLACK, "T1")
        await u.activity.seen(community.id, "general", "a", START)
        await u.activity.seen(community.id, "general", "a", START + timedelta(days=1))
        await u.activity.seen(community.id, "general", "a", START)  # older: keeps the latest
        await u.activity.seen(community.id, "general", "b", START - timedelta(days=40))
        await u.activity.seen(community.id, "other", "c", START)
        await u.commit()
    async with store() as u:
        assert await u.activity.audience(community.id, "general", START - timedelta(days=28)) == 1
        assert await u.activity.audience(community.id, "general", START + timedelta(hours=1)) == 1


async def test_state_put_if_absent_keeps_first(store: UnitOfWorkFactory) -> None:
    async with store() as u:
        assert await u.state.put_if_absent("k", "one") == "one"
        assert await u.state.put_if_absent("k", "two") == "one"
        await u.state.put("j", "x")
        await u.state.put("j", "y")
        await u.commit()
    async with store() as u:
        assert await u.state.get("k") == "one"
        assert await u.state.get("j") == "y"
        assert await u.state.get("missing") is None


async def test_outcome_queries(store: UnitOfWorkFactory) -> None:
    schedule_id, prompt_id = await _schedule(store), await _prompt(store)
    async with store() as u:
        first = await u.posts.claim(schedule_id, START, "tb:1", prompt_id, None, START)
        second = await u.posts.claim(
            schedule_id, START + timedelta(days=1), "tb:2", prompt_id, None, START
        )
        assert first is not None and second is not None
        for post in (first, second):
            post.status = PostStatus.SENT
            await u.posts.update(post)
        await u.commit()
    async with store() as u:
        assert [p.id for p in await u.posts.awaiting_outcome(10)] == [first.id, second.id]
        following = await u.posts.next_sent(schedule_id, START)
        assert following is not None and following.id == second.id
        assert await u.posts.next_sent(schedule_id, START + timedelta(days=1)) is None
        first.responders, first.audience = 3, 40
        first.outcome_at = START + timedelta(days=2)
        await u.posts.update(first)
        await u.commit()
    async with store() as u:
        assert [p.id for p in await u.posts.awaiting_outcome(10)] == [second.id]
        [[closed]] = [chunk async for chunk in u.posts.recorded_outcomes(None)]
        assert (closed.post_id, closed.responders, closed.audience) == (first.id, 3, 40)
        assert (closed.prompt_id, closed.category, closed.slot_at) == (
            prompt_id,
            "this-or-that",
            START,
        )
        assert (closed.channel, closed.timezone) == ("general", "Europe/Paris")
        assert closed.outcome_at == START + timedelta(days=2)
        assert [c async for c in u.posts.recorded_outcomes(START + timedelta(days=3))] == []
