"""Member rituals through the service, on memory, SQLite and PostgreSQL: streak milestones
acknowledged once in the thread, the monthly regulars board, the best answer (quoted under the
next post, featured in the digest, its text forgotten), opting out, and privacy forget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app.cli.privacy import forget_member, member_data
from bot.core.domain import Post, ReactionAdded, ScheduleSpec
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.core.rituals import MemberName
from tests.rituals_world import SLACK, RitualWorld


async def test_a_reply_that_makes_a_streak_of_three_is_acknowledged_once(
    store: UnitOfWorkFactory,
) -> None:
    world = await RitualWorld(store).start()
    posts = [await world.next_post() for _ in range(3)]
    await world.reply(posts[0], "U1")
    await world.react(posts[1].message_id or "", "U1")  # a reaction answers too
    assert world.platform.said == []
    third = await world.reply(posts[2], "U1")
    await world.service.handle_event(third)  # delivered twice: acknowledged once
    await world.reply(posts[2], "U1", "and another thought")

    [(community, target, parts)] = world.platform.said
    assert (community, target.message_id) == ("T1", posts[2].message_id)
    assert target.thread_id == posts[2].thread_id
    assert world.platform.said_text() == [
        "🔥 A 3-answer streak in this channel! Thanks for showing up, day after day."
    ]
    assert not any(isinstance(p, MemberName) for p in parts)  # names nobody, pings nobody


async def test_a_broken_run_starts_again_and_other_members_have_their_own(
    store: UnitOfWorkFactory,
) -> None:
    world = await RitualWorld(store).start()
    posts = [await world.next_post() for _ in range(5)]
    for post in (posts[0], posts[1], posts[3], posts[4]):  # missed the third day
        await world.reply(post, "U1")
    for post in posts[2:]:
        await world.reply(post, "U2")
    assert len(world.platform.said) == 1  # U2's third in a row; U1's run is only 2

    mine = await world.service.member_rituals(SLACK, "T1", "U1")
    [streak] = mine.streaks
    assert (streak.channel, streak.current, streak.best, streak.answers) == ("C1", 2, 2, 4)


async def test_no_acknowledgement_when_streaks_are_off(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start(streaks=False)
    for _ in range(3):
        await world.reply(await world.next_post(), "U1")
    assert world.platform.said == []


async def test_a_member_who_opted_out_is_not_acknowledged_until_back_in(
    store: UnitOfWorkFactory,
) -> None:
    world = await RitualWorld(store).start()
    await world.reply(await world.next_post(), "U1")  # creates the community's first answer
    await world.choose("U1", opted_out=True)
    for _ in range(2):
        await world.reply(await world.next_post(), "U1")
    assert world.platform.said == []
    await world.choose("U1", opted_out=False)
    await world.reply(await world.next_post(), "U1")
    assert world.platform.said == []  # a run of 4 is no milestone
    for _ in range(3):
        await world.reply(await world.next_post(), "U1")
    assert world.platform.said_text()[0].startswith("🔥 A 7-answer streak")


async def _post_at(world: RitualWorld, when: datetime) -> Post:
    world.clock.set(when)
    assert await world.service.post_due() == 1
    return max(await world.service.posts_of(world.schedule.id), key=lambda p: p.slot_at)


def _day(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=UTC)


async def test_the_regulars_board_comes_with_the_months_first_post_naming_only_who_opted_in(
    store: UnitOfWorkFactory,
) -> None:
    world = await RitualWorld(store, datetime(2026, 2, 27, 8, 0, tzinfo=UTC)).start(regulars=True)
    await world.reply(await _post_at(world, _day(2, 27)), "U4")
    await _post_at(world, _day(2, 28))
    march_1 = await _post_at(world, _day(3, 1))
    assert world.platform.said_text() == [
        "📅 Regulars of February 2026: 1 member answered here. Most answers: 1 member who keeps "
        "to themselves.\nWelcome to our first-time responders: 1 new member! 👋"
    ]
    assert world.platform.said[0][1].message_id == march_1.message_id
    await world.choose("U1", named=True)
    await world.choose("U3", opted_out=True)
    for member in ("U1", "U4", "U3"):
        await world.reply(march_1, member)
    march_2 = await _post_at(world, _day(3, 2))
    for member in ("U1", "U2", "U3"):
        await world.reply(march_2, member)
    await world.service.post_now(world.schedule.id)  # another March post: no board
    assert len(world.platform.said) == 1

    await _post_at(world, _day(4, 1))
    assert world.platform.said_text()[1] == (
        "📅 Regulars of March 2026: 3 members answered here. Most answers: @U1 (2), 2 members "
        "who keep to themselves.\nWelcome to our first-time responders: @U1 and 1 more member! 👋"
    )
    async with store() as u:
        cid = world.schedule.community_id
        named = await u.rituals.member(cid, world.key("U1"))
        assert named is not None and named.platform_id == "U1"
        assert await u.rituals.member(cid, world.key("U2")) is None  # only a pseudonym
        out = await u.rituals.member(cid, world.key("U3"))
        assert out is not None and out.platform_id is None


async def test_the_best_answer_is_quoted_under_the_next_post_and_its_text_then_forgotten(
    store: UnitOfWorkFactory,
) -> None:
    world = await RitualWorld(store).start(best_answer=True)
    first = await world.next_post()
    tea = await world.reply(first, "U1", "<!channel> tea, always")
    coffee = await world.reply(first, "U2", "coffee")
    late = await world.reply(first, "U6", "water")
    for member in ("U3", "U4", "U5"):
        await world.react(tea.message_id, member)
    await world.unreact(tea.message_id, "U5")
    await world.react(coffee.message_id, "U3")
    await world.react(late.message_id, "U3", hours=30)  # after its 24 hours: not counted
    await world.react(late.message_id, "U4", hours=30)

    second = await world.next_post()
    [(_, target, _)] = world.platform.said
    assert target.message_id == second.message_id
    assert world.platform.said_text() == [
        "💬 Best answer to the last question (2 reactions): “<!channel> tea, always”"
    ]  # the platform escapes the text parts (tested through the adapters)
    async with store() as u:
        kept = await u.rituals.about(world.key("U2"))
        assert kept == []  # the other replies are gone with their reactions
        [best] = await u.rituals.best_answers([first.id])
        assert (best.member_key, best.reactions) == (world.key("U1"), 2)

    await world.choose("U1", named=True)
    for member in ("U3", "U4"):
        await world.react((await world.reply(second, "U1", "tigers")).message_id, member)
    await world.next_post()
    assert world.platform.said_text()[1].endswith("“tigers” — @U1")  # credited: opted in

    world.clock.advance(timedelta(days=9))
    await world.next_post()
    async with store() as u:
        [best] = await u.rituals.best_answers([first.id])
    assert best.text is None and best.reactions == 2  # text erased after 8 days


async def test_no_best_answer_is_kept_where_nobody_wants_one(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start()  # best-answer and digest off
    first = await world.next_post()
    reply = await world.reply(first, "U1", "private words")
    await world.react(reply.message_id, "U2")
    await world.next_post()
    async with store() as u:
        assert await u.rituals.about(world.key("U1")) == []
        assert await u.rituals.best_answers([first.id]) == []


async def test_the_digest_features_the_weeks_best_answer(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start(digest=True)
    first = await world.next_post()
    reply = await world.reply(first, "U1", "a <@U9> mention")
    await world.react(reply.message_id, "U2")
    await world.next_post()
    assert world.platform.said == []  # best-answer off: featured in the digest only
    start = first.slot_at - timedelta(days=1)
    [best] = await world.service.best_answers_between(world.schedule, start, world.clock.now())
    assert (best.text, best.reactions) == ("a <@U9> mention", 1)


async def test_privacy_forget_removes_every_ritual_record_of_the_member(
    store: UnitOfWorkFactory,
) -> None:
    world = await RitualWorld(store).start(best_answer=True)
    await world.choose("U1", named=True)
    await world.choose("U2", named=True)
    posts = [await world.next_post() for _ in range(3)]
    for post in posts:
        reply = await world.reply(post, "U1", "mine")
        await world.react(reply.message_id, "U2")
    other = await world.reply(posts[2], "U2", "theirs")
    await world.react(other.message_id, "U1")
    await world.next_post()
    key = world.key("U1")
    shown = await member_data(store, key, SLACK, "U1")
    kinds = sorted({r["kind"] for r in shown.rituals})
    assert kinds == ["choices", "featured reply", "milestone"]

    done = await forget_member(store, key, SLACK, "U1")

    assert done.rituals == 5  # choices, a milestone, three featured replies
    assert (await member_data(store, key, SLACK, "U1")).rituals == []
    others = (await member_data(store, world.key("U2"), SLACK, "U2")).rituals
    assert [(r["kind"], r["platform_id"]) for r in others] == [("choices", "U2")]


async def test_rituals_stay_within_their_community(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start()
    await world.choose("U1", named=True)
    for _ in range(3):
        await world.reply(await world.next_post(), "U1")
    # The same member in another workspace: nothing carries over.
    await world.service.add_schedule(SLACK, "T2", NewSchedule(0, "C1", ScheduleSpec()), "Other")
    theirs = await world.service.member_rituals(SLACK, "T2", "U1")
    assert theirs.streaks == [] and not theirs.choices.named
    # An event naming another workspace's post finds nothing there.
    post = (await world.service.posts_of(world.schedule.id))[0]
    await world.service.handle_event(
        ReactionAdded(SLACK, "T2", "C1", post.message_id or "", "U7", "👍", world.clock.now())
    )
    assert (await world.service.member_rituals(SLACK, "T2", "U7")).streaks == []
