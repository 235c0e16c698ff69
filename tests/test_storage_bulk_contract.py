"""The bulk recording ports behave alike on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import time, timedelta

from bot.core.domain import PlatformName, PostStatus, ResponseKind, ScheduleSpec
from bot.core.ports import ActivityRecord, NewSchedule, PostRef, ResponseRecord, UnitOfWorkFactory
from tests.conftest import START

REACTION, REPLY = ResponseKind.REACTION, ResponseKind.REPLY
SPEC = ScheduleSpec(times=(time(9, 0),), timezone="UTC")


async def _sent_post(store: UnitOfWorkFactory, channel: str, message: str, thread: str) -> int:
    async with store() as u:
        community = await u.communities.ensure(PlatformName.DISCORD, "G1")
        schedule = await u.schedules.add(NewSchedule(community.id, channel, SPEC), None)
        post = await u.posts.claim(schedule.id, START, f"tb:{message}", None, None, START)
        assert post is not None
        post.status, post.message_id, post.thread_id = PostStatus.SENT, message, thread
        await u.posts.update(post)
        await u.commit()
    return post.id


async def _responses(store: UnitOfWorkFactory, post_id: int) -> set[tuple[str, str, str]]:
    async with store() as u:
        return {(m, k.value, e) for m, k, e, _ in await u.responses.for_post(post_id)}


async def test_find_many_returns_only_known_communities(store: UnitOfWorkFactory) -> None:
    async with store() as u:
        g1 = await u.communities.ensure(PlatformName.DISCORD, "G1", "Guild")
        t1 = await u.communities.ensure(PlatformName.SLACK, "T1", "Team")
        await u.commit()
    async with store() as u:
        found = await u.communities.find_many(
            {(PlatformName.DISCORD, "G1"), (PlatformName.SLACK, "T1"),
             (PlatformName.SLACK, "G1"), (PlatformName.DISCORD, "nope")}
        )  # fmt: skip
    assert found == {(PlatformName.DISCORD, "G1"): g1, (PlatformName.SLACK, "T1"): t1}
    async with store() as u:
        assert await u.communities.find_many(set()) == {}


async def test_by_messages_matches_like_by_message(store: UnitOfWorkFactory) -> None:
    first = await _sent_post(store, "C1", "M1", "T1")
    second = await _sent_post(store, "C2", "M2", "T2")
    async with store() as u:
        found = await u.posts.by_messages(
            {("C1", "M1"), ("C2", "M1"), ("C1", "T2"), ("C2", "M2"), ("C1", "unknown")}
        )
        singles = {t: await u.posts.by_message(*t) for t in [("C1", "M1"), ("C2", "M1")]}
    assert found == {
        ("C1", "M1"): PostRef(first, "C1"),
        ("C1", "T2"): PostRef(second, "C2"),  # a thread id matches in any channel
        ("C2", "M2"): PostRef(second, "C2"),
    }  # ("C2", "M1"): a message id counts only in its own channel
    assert singles[("C2", "M1")] is None
    hit = singles[("C1", "M1")]
    assert hit is not None and hit[0].id == first


async def test_add_many_ignores_duplicates_and_is_idempotent(store: UnitOfWorkFactory) -> None:
    post = await _sent_post(store, "C1", "M1", "T1")
    later = START + timedelta(minutes=5)
    async with store() as u:
        await u.responses.add(post, "a", REACTION, "🐯", START)
        await u.commit()
    batch = [
        ResponseRecord(post, "a", REACTION, "🐯", later),  # stored already
        ResponseRecord(post, "b", REACTION, "🐯", START),
        ResponseRecord(post, "b", REACTION, "🐯", later),  # repeated in the batch
        ResponseRecord(post, "b", REPLY, "", later),
    ]
    for _ in range(2):
        async with store() as u:
            await u.responses.add_many(batch)
            await u.commit()
    async with store() as u:
        stored = {(m, k.value, e): at for m, k, e, at in await u.responses.for_post(post)}
    assert stored == {
        ("a", "reaction", "🐯"): START,
        ("b", "reaction", "🐯"): START,  # the first `at` wins
        ("b", "reply", ""): later,
    }


async def test_remove_many_removes_only_the_given_keys(store: UnitOfWorkFactory) -> None:
    post = await _sent_post(store, "C1", "M1", "T1")
    async with store() as u:
        await u.responses.add_many(
            [ResponseRecord(post, m, REACTION, e, START) for m in "ab" for e in ("🐯", "☕")]
        )
        await u.commit()
    async with store() as u:
        await u.responses.remove_many({(post, "a", REACTION, "🐯"), (post, "z", REACTION, "🐯")})
        await u.responses.remove_many(set())
        await u.commit()
    assert await _responses(store, post) == {
        ("a", "reaction", "☕"),
        ("b", "reaction", "🐯"),
        ("b", "reaction", "☕"),
    }


async def test_seen_many_keeps_the_latest_time(store: UnitOfWorkFactory) -> None:
    async with store() as u:
        community = (await u.communities.ensure(PlatformName.DISCORD, "G1")).id
        await u.activity.seen(community, "C1", "old", START - timedelta(days=40))
        await u.activity.seen(community, "C1", "kept", START)
        await u.commit()
    async with store() as u:
        await u.activity.seen_many(
            [
                ActivityRecord(community, "C1", "old", START),  # brought into the window
                ActivityRecord(community, "C1", "kept", START - timedelta(days=40)),  # older
                ActivityRecord(community, "C1", "new", START - timedelta(days=40)),
                ActivityRecord(community, "C1", "new", START),  # repeated: the latest wins
                ActivityRecord(community, "C2", "elsewhere", START),
            ]
        )
        await u.activity.seen_many([])
        await u.commit()
    async with store() as u:
        since = START - timedelta(days=1)
        assert await u.activity.audience(community, "C1", since) == 3
        assert await u.activity.audience(community, "C2", since) == 1
