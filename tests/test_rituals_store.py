"""The ritual repository's contract on memory, SQLite and PostgreSQL: idempotent milestones,
replies and reactions; choices per community; the best answer's rules."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import UnitOfWorkFactory
from bot.core.rituals import RitualMember, ThreadReply
from tests.rituals_world import RitualWorld


async def test_milestones_replies_and_reactions_are_idempotent(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start()
    post = await world.next_post()
    cid, at = world.schedule.community_id, world.clock.now()
    async with store() as u:
        reached = [(post.id, "k1", 3, at), (post.id, "k2", 3, at)]
        assert await u.rituals.add_milestones(reached) == {(post.id, "k1"), (post.id, "k2")}
        assert await u.rituals.add_milestones(reached[:1]) == set()
        reply = ThreadReply(cid, post.id, "r1", "k1", at, "hi")
        await u.rituals.add_replies([reply])
        await u.rituals.add_replies([reply])
        assert await u.rituals.kept_replies({(cid, "r1"), (cid, "r9"), (cid + 1, "r1")}) == {
            (cid, "r1")
        }
        assert await u.rituals.react_reply(cid, "r1", "k2", "👍", at)
        assert await u.rituals.react_reply(cid, "r1", "k2", "👍", at)
        assert not await u.rituals.react_reply(cid, "nope", "k2", "👍", at)
        assert not await u.rituals.react_reply(cid + 1, "r1", "k2", "👍", at)  # other tenant
        await u.rituals.react_reply(cid, "r1", "k3", "🎉", at)
        await u.rituals.unreact_reply(cid, "r1", "k3", "🎉")
        await u.commit()
    async with store() as u:
        best = await u.rituals.close_replies(post.id, set())
        await u.commit()
    assert best is not None and (best.message_id, best.reactions, best.text) == ("r1", 1, "hi")


async def test_the_best_answer_skips_excluded_members_and_late_reactions(
    store: UnitOfWorkFactory,
) -> None:
    world = await RitualWorld(store).start()
    post = await world.next_post()
    cid, at = world.schedule.community_id, world.clock.now()
    async with store() as u:
        await u.rituals.add_replies(
            [
                ThreadReply(cid, post.id, f"r{n}", member, at, member)
                for n, member in enumerate(("out", "late", "fine"))
            ]
        )
        for voter in ("v1", "v2", "v3"):
            await u.rituals.react_reply(cid, "r0", voter, "👍", at)
            await u.rituals.react_reply(cid, "r1", voter, "👍", at + timedelta(hours=25))
        await u.rituals.react_reply(cid, "r2", "v1", "👍", at + timedelta(hours=23))
        assert await u.rituals.posts_with_open_replies(cid, at + timedelta(seconds=1)) == [post.id]
        best = await u.rituals.close_replies(post.id, {"out"})
        assert best is not None and (best.member_key, best.reactions) == ("fine", 1)
        assert await u.rituals.posts_with_open_replies(cid, at + timedelta(days=2)) == []
        assert [b.message_id for b in await u.rituals.best_answers([post.id])] == ["r2"]
        assert await u.rituals.erase_texts(at + timedelta(seconds=1)) == 1
        [erased] = await u.rituals.best_answers([post.id])
        assert erased.text is None


async def test_choices_belong_to_one_community(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start()
    cid = world.schedule.community_id
    async with store() as u:
        await u.rituals.set_member(RitualMember(cid, "k1", named=True, platform_id="U1"))
        await u.rituals.set_member(RitualMember(cid, "k2", opted_out=True, platform_id="U2"))
        await u.commit()
    async with store() as u:
        found = await u.rituals.members(cid, ["k1", "k2", "k3"])
        assert found["k1"].platform_id == "U1"
        assert found["k2"].platform_id is None  # not named: no platform id kept
        assert set(found) == {"k1", "k2"}
        assert await u.rituals.members(cid + 1, ["k1"]) == {}
        assert await u.rituals.opted_out(cid) == {"k2"}
        assert await u.rituals.opted_out(cid + 1) == set()
        pairs = {(cid, "k1"), (cid, "k2"), (cid + 1, "k2")}
        assert await u.rituals.opted_out_among(pairs) == {(cid, "k2")}
