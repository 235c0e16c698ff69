"""The overview's bulk reads behave alike on memory, SQLite and PostgreSQL, and give what the
one-at-a-time reads give: `responses.for_posts`, `posts.latest_sent_many`,
`posts.recent_prompt_ids_many`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from bot.core.domain import (
    PlatformName,
    PostStatus,
    PromptDraft,
    PromptSource,
    ResponseKind,
    ScheduleSpec,
)
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from tests.conftest import START

REACTION, REPLY = ResponseKind.REACTION, ResponseKind.REPLY
SPEC = ScheduleSpec(times=(time(9, 0),), timezone="UTC")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Seeded:
    first: int  # 5 days: sent, sent, failed, sent, claimed (prompts 0..4)
    second: int  # 2 days: sent, sent (prompts 5, 6)
    empty: int  # no post
    posts: dict[tuple[int, int], int]  # (schedule, day) -> post id
    prompts: list[int]


async def _seed(store: UnitOfWorkFactory) -> Seeded:
    async with store() as u:
        community = await u.communities.ensure(PlatformName.DISCORD, "G1")
        schedules = [
            await u.schedules.add(NewSchedule(community.id, f"C{i}", SPEC), None) for i in range(3)
        ]
        prompts = [
            (await u.prompts.add(PromptDraft(f"t/{i}", f"Q{i}?", "c"), PromptSource.CUSTOM)).id
            for i in range(7)
        ]
        plan = [(0, d, s) for d, s in enumerate("SSFSC")] + [(1, 0, "S"), (1, 1, "S")]
        posts: dict[tuple[int, int], int] = {}
        for index, day, status in plan:
            schedule = schedules[index]
            slot = START + day * DAY
            prompt = prompts[day + 5 * index]
            post = await u.posts.claim(schedule.id, slot, f"tb:{index}:{day}", prompt, None, slot)
            assert post is not None
            post.status = {"S": PostStatus.SENT, "F": PostStatus.FAILED}.get(status, post.status)
            await u.posts.update(post)
            posts[(schedule.id, day)] = post.id
        await u.commit()
    return Seeded(schedules[0].id, schedules[1].id, schedules[2].id, posts, prompts)


async def test_for_posts_gives_each_post_what_for_post_gives(store: UnitOfWorkFactory) -> None:
    seeded = await _seed(store)
    a, b, quiet = (seeded.posts[(seeded.first, d)] for d in (0, 1, 3))
    async with store() as u:
        await u.responses.add(a, "m1", REACTION, "👍", START)
        await u.responses.add(a, "m2", REPLY, "", START + timedelta(minutes=2))
        await u.responses.add(a, "m1", REACTION, "🎉", START + timedelta(minutes=1))
        await u.responses.add(b, "m3", REACTION, "👍", START + DAY)
        await u.commit()
    async with store() as u:
        found = await u.responses.for_posts([a, b, quiet, 999_999])
        singles = {p: await u.responses.for_post(p) for p in (a, b, quiet, 999_999)}
        assert await u.responses.for_posts([]) == {}
    assert found == singles
    assert [(m, k, e) for m, k, e, _ in found[a]] == [
        ("m1", REACTION, "👍"),
        ("m2", REPLY, ""),
        ("m1", REACTION, "🎉"),
    ]
    assert found[quiet] == [] and found[999_999] == []


async def test_latest_sent_many_gives_the_newest_sent_posts_first(
    store: UnitOfWorkFactory,
) -> None:
    seeded = await _seed(store)
    ids = [seeded.first, seeded.second, seeded.empty]
    async with store() as u:
        two = await u.posts.latest_sent_many(ids, 2)
        five = await u.posts.latest_sent_many(ids, 5)
        none = await u.posts.latest_sent_many(ids, 0)
        every = {s: await u.posts.all(s) for s in ids}
    day = seeded.posts
    assert {s: [p.id for p in posts] for s, posts in two.items()} == {
        seeded.first: [day[(seeded.first, 3)], day[(seeded.first, 1)]],  # failed/claimed skipped
        seeded.second: [day[(seeded.second, 1)], day[(seeded.second, 0)]],
        seeded.empty: [],
    }
    assert [p.id for p in five[seeded.first]] == [day[(seeded.first, d)] for d in (3, 1, 0)]
    assert none == {s: [] for s in ids}
    by_id = {p.id: p for posts in every.values() for p in posts}
    assert all(p == by_id[p.id] for posts in five.values() for p in posts)


async def test_recent_prompt_ids_many_is_recent_prompt_ids_per_schedule(
    store: UnitOfWorkFactory,
) -> None:
    seeded = await _seed(store)
    since = {seeded.first: START + DAY, seeded.second: START, seeded.empty: START}
    async with store() as u:
        found = await u.posts.recent_prompt_ids_many(since)
        singles = {s: await u.posts.recent_prompt_ids(s, at) for s, at in since.items()}
        assert await u.posts.recent_prompt_ids_many({}) == {}
    assert found == singles
    p = seeded.prompts
    # From day 1: sent (1), failed (2) is not counted, sent (3), claimed (4).
    assert found == {seeded.first: {p[1], p[3], p[4]}, seeded.second: {p[5], p[6]},
                     seeded.empty: set()}  # fmt: skip


async def test_a_page_of_schedules_is_that_slice_of_all_of_them(store: UnitOfWorkFactory) -> None:
    async with store() as u:
        mine = await u.communities.ensure(PlatformName.DISCORD, "G1")
        other = await u.communities.ensure(PlatformName.DISCORD, "G2")
        for i in range(5):
            await u.schedules.add(NewSchedule(mine.id, f"C{i}", SPEC), None)
            await u.schedules.add(NewSchedule(other.id, f"C{i}", SPEC), None)
        await u.commit()
    async with store() as u:
        every = [s.id for s in await u.schedules.all(mine.id)]
        pages = [[s.id for s in await u.schedules.page(mine.id, at, 2)] for at in (0, 2, 4, 6)]
        assert await u.schedules.count(mine.id) == 5
        assert await u.schedules.count(999) == 0
        assert await u.schedules.page(999, 0, 10) == []
    assert every == sorted(every) and len(every) == 5
    assert pages == [every[0:2], every[2:4], every[4:], []]  # never another community's
