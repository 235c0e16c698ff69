"""Removing one member's responses and activity (a bot recorded by mistake) behaves alike on
memory, SQLite and PostgreSQL, and never reaches into another community."""

from __future__ import annotations

from datetime import time

from bot.core.domain import PlatformName, PostStatus, ResponseKind, ScheduleSpec
from bot.core.ports import ActivityRecord, NewSchedule, ResponseRecord, UnitOfWorkFactory
from tests.conftest import START

REACTION, REPLY = ResponseKind.REACTION, ResponseKind.REPLY
SPEC = ScheduleSpec(times=(time(9, 0),), timezone="UTC")


async def _post_in(store: UnitOfWorkFactory, team: str, message: str) -> tuple[int, int]:
    """A sent post in workspace `team`: (community id, post id)."""
    async with store() as u:
        community = await u.communities.ensure(PlatformName.SLACK, team)
        schedule = await u.schedules.add(NewSchedule(community.id, "C1", SPEC), None)
        post = await u.posts.claim(schedule.id, START, f"tb:{message}", None, None, START)
        assert post is not None
        post.status, post.message_id = PostStatus.SENT, message
        await u.posts.update(post)
        await u.commit()
    return community.id, post.id


async def _record(store: UnitOfWorkFactory, post_id: int, community_id: int, member: str) -> None:
    async with store() as u:
        await u.responses.add_many(
            [
                ResponseRecord(post_id, member, REACTION, "🐯", START),
                ResponseRecord(post_id, member, REPLY, "", START),
            ]
        )
        await u.activity.seen_many([ActivityRecord(community_id, "C1", member, START)])
        await u.commit()


async def test_remove_member_takes_only_that_member_in_that_community(
    store: UnitOfWorkFactory,
) -> None:
    mine, first = await _post_in(store, "T1", "M1")
    _, second = await _post_in(store, "T1", "M2")
    theirs, elsewhere = await _post_in(store, "T2", "M3")
    for post in (first, second):
        await _record(store, post, mine, "bot")
        await _record(store, post, mine, "person")
    await _record(store, elsewhere, theirs, "bot")  # the same key in another workspace

    async with store() as u:
        changed = await u.responses.remove_member(mine, "bot")
        seen_gone = await u.activity.forget_member(mine, "bot")
        await u.commit()

    assert changed == {first, second} and seen_gone == 1
    async with store() as u:
        left = {p: {m for m, *_ in await u.responses.for_post(p)} for p in (first, second)}
        assert left == {first: {"person"}, second: {"person"}}
        assert {m for m, *_ in await u.responses.for_post(elsewhere)} == {"bot"}
        assert await u.activity.audience(mine, "C1", START) == 1
        assert await u.activity.audience(theirs, "C1", START) == 1


async def test_removing_an_unknown_member_changes_nothing(store: UnitOfWorkFactory) -> None:
    community, post = await _post_in(store, "T1", "M1")
    await _record(store, post, community, "person")
    async with store() as u:
        assert await u.responses.remove_member(community, "nobody") == set()
        assert await u.activity.forget_member(community, "nobody") == 0
        await u.commit()
    async with store() as u:
        assert len(await u.responses.for_post(post)) == 2
