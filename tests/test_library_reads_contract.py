"""The dashboard's library reads behave alike on memory, SQLite and PostgreSQL: a community
sees shared prompts and its own (never another's), filtered, paginated, with its own record."""

from __future__ import annotations

from datetime import time, timedelta

from bot.core.domain import (
    PlatformName,
    PostStatus,
    PromptDraft,
    PromptSource,
    PromptStatus,
    ScheduleSpec,
)
from bot.core.ports import LibraryQuery, NewSchedule, UnitOfWorkFactory
from tests.conftest import START


async def _library(store: UnitOfWorkFactory) -> tuple[int, int, dict[str, int]]:
    ids: dict[str, int] = {}
    async with store() as u:
        acme = await u.communities.ensure(PlatformName.SLACK, "T1", "Acme")
        other = await u.communities.ensure(PlatformName.DISCORD, "G1", "Guild")
        rows = [
            ("shared-animal", "Tiger or bluebird?", "this-or-that", None, PromptStatus.ACTIVE),
            ("shared-retired", "Cats or dogs?", "this-or-that", None, PromptStatus.RETIRED),
            (
                "acme-own",
                "What 100% tiger fact surprised you?",
                "small-joys",
                acme.id,
                PromptStatus.ACTIVE,
            ),
            (
                "other-own",
                "A tiger secret of the guild",
                "small-joys",
                other.id,
                PromptStatus.ACTIVE,
            ),
        ]
        for key, text, category, community_id, status in rows:
            prompt = await u.prompts.add(
                PromptDraft(key, text, category), PromptSource.CUSTOM, status, community_id
            )
            ids[key] = prompt.id
        await u.commit()
    return acme.id, other.id, ids


async def test_search_sees_shared_and_own_prompts_only(store: UnitOfWorkFactory) -> None:
    acme, _, ids = await _library(store)
    async with store() as u:
        found = await u.library.search(LibraryQuery(acme), 0, 10)
        assert [p.id for p in found] == [ids["shared-animal"], ids["acme-own"]]
        tiger = LibraryQuery(acme, text="TIGER")
        assert [p.id for p in await u.library.search(tiger, 0, 10)] == [
            ids["shared-animal"],
            ids["acme-own"],
        ]
        assert await u.library.count(LibraryQuery(acme, category="small-joys")) == 1
        assert await u.library.count(LibraryQuery(acme, status=None)) == 3
        retired = LibraryQuery(acme, status=PromptStatus.RETIRED)
        assert [p.key for p in await u.library.search(retired, 0, 10)] == ["shared-retired"]


async def test_text_search_treats_wildcards_as_text(store: UnitOfWorkFactory) -> None:
    acme, _, ids = await _library(store)
    async with store() as u:
        assert [p.id for p in await u.library.search(LibraryQuery(acme, text="100%"), 0, 5)] == [
            ids["acme-own"]
        ]
        assert await u.library.count(LibraryQuery(acme, text="_")) == 0


async def test_pages_are_by_id(store: UnitOfWorkFactory) -> None:
    acme, _, _ = await _library(store)
    async with store() as u:
        first = await u.library.search(LibraryQuery(acme, status=None), 0, 2)
        second = await u.library.search(LibraryQuery(acme, status=None), 2, 2)
    assert len(first) == 2 and len(second) == 1
    assert [p.id for p in first + second] == sorted(p.id for p in first + second)


async def test_records_count_the_community_sent_posts(store: UnitOfWorkFactory) -> None:
    acme, other, ids = await _library(store)
    prompt = ids["shared-animal"]
    async with store() as u:
        spec = ScheduleSpec(times=(time(9, 0),), timezone="UTC")
        mine = await u.schedules.add(NewSchedule(acme, "general", spec), START)
        theirs = await u.schedules.add(NewSchedule(other, "general", spec), START)
        for n, (schedule, responders) in enumerate([(mine, 3), (mine, 5), (theirs, 9)]):
            slot = START + timedelta(days=n)
            post = await u.posts.claim(schedule.id, slot, f"m{n}", prompt, 0.5, slot)
            assert post is not None
            post.status, post.posted_at = PostStatus.SENT, slot
            post.responders, post.audience, post.outcome_at = responders, 10, slot
            await u.posts.update(post)
        open_slot = START + timedelta(days=5)
        post = await u.posts.claim(mine.id, open_slot, "m9", prompt, 0.5, open_slot)
        assert post is not None
        post.status, post.posted_at = PostStatus.SENT, open_slot
        await u.posts.update(post)
        skipped = START + timedelta(days=6)
        await u.posts.claim(mine.id, skipped, "m10", prompt, 0.5, skipped, PostStatus.SKIPPED)
        await u.commit()
    async with store() as u:
        records = await u.library.records(acme, [prompt, ids["acme-own"]])
    assert list(records) == [prompt]
    record = records[prompt]
    assert (record.times_posted, record.responders, record.audience) == (3, 8, 20)
