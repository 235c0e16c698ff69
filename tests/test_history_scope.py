"""A history read for one community's reports (`HistoryReader.load(community_id, since)`):
only `History.within` of the whole is read, on every store, and every report inside that scope
has the same figures as from the whole history, including the all-communities rate of its
prompts and response windows cut short by a post the scoped read leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.analytics import Scope, build_report, load_history
from bot.analytics.load import load_history_via_ports
from bot.analytics.stats import Rate
from bot.core.domain import PlatformName, PostStatus, PromptDraft, PromptSource, ScheduleSpec
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from tests.test_analytics_history import DAY0, NOW, REACTION, Seeded, seed_history

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@dataclass(frozen=True)
class World:
    seeded: Seeded
    gamma: int
    p4: int


async def _world(store: UnitOfWorkFactory) -> World:
    """`seed_history`, and prompt p4, which community A never posted: in B's C2 five minutes
    after its p1 post (closing that post's window before m8's reaction at 7 min); in a third
    community's C3 two hours after a p1 post (whose audience is not recorded: m7 is active,
    m6 was seen too long ago) and on the next day."""
    seeded = await seed_history(store)
    async with store() as u:
        c2 = (await u.schedules.all(seeded.community_b))[0]
        gamma = await u.communities.ensure(PlatformName.SLACK, "T3", "Gamma")
        c3 = await u.schedules.add(NewSchedule(gamma.id, "C3", ScheduleSpec()), None)
        p4 = await u.prompts.add(
            PromptDraft("fx/4", "Question 4?", "small-joys"), PromptSource.CUSTOM
        )
        plan = [
            (c2, DAY0 + 5 * MINUTE, p4.id, 4),
            (c3, DAY0 + DAY, seeded.p1, None),
            (c3, DAY0 + DAY + 2 * HOUR, p4.id, 6),
            (c3, DAY0 + 2 * DAY, p4.id, 6),
        ]
        ids = []
        for schedule, slot, prompt, audience in plan:
            post = await u.posts.claim(
                schedule.id, slot, f"tb:{slot.isoformat()}", prompt, None, slot, PostStatus.SENT
            )
            assert post is not None
            post.message_id, post.posted_at, post.audience = f"m{post.id}", slot, audience
            await u.posts.update(post)
            ids.append(post.id)
        await u.responses.add(ids[1], "m7", REACTION, "👍", DAY0 + DAY + HOUR)
        await u.responses.add(ids[1], "m6", REACTION, "👍", DAY0 + DAY + 3 * HOUR)
        await u.responses.add(ids[2], "m6", REACTION, "🎉", DAY0 + DAY + 3 * HOUR)
        await u.activity.seen(gamma.id, "C3", "m7", DAY0)
        await u.activity.seen(gamma.id, "C3", "m6", DAY0 - 40 * DAY)
        await u.commit()
    return World(seeded, gamma.id, p4.id)


async def test_a_scoped_read_is_the_whole_history_within_the_scope(
    store: UnitOfWorkFactory,
) -> None:
    world = await _world(store)
    a, b, c = world.seeded.community_a, world.seeded.community_b, world.gamma
    whole = await load_history(store)
    assert whole == await load_history_via_ports(store)
    for community, since in [
        (None, None), (a, None), (a, DAY0 + DAY), (b, None), (c, None),
        (c, DAY0 + DAY + HOUR), (None, DAY0 + 2 * DAY), (999, None),
    ]:  # fmt: skip
        scoped = await load_history(store, community, since)
        assert scoped == whole.within(community, since), (community, since)
        assert scoped == await load_history_via_ports(store, community, since)


async def test_the_scoped_read_leaves_out_what_the_community_reports_do_not_need(
    store: UnitOfWorkFactory,
) -> None:
    world = await _world(store)
    seeded = world.seeded
    whole = await load_history(store)
    alpha = await load_history(store, seeded.community_a)
    assert {p.prompt_id for p in alpha.posts} == {seeded.p1, seeded.p2, seeded.p3}
    assert len(alpha.posts) == len(whole.posts) - 3  # p4's three posts elsewhere
    assert alpha.prompts == whole.prompts and alpha.communities == whole.communities
    # Its next post (p4) is left out, yet C3's p1 post still closes when p4 was posted.
    (gamma_p1,) = alpha.where(world.gamma)
    assert gamma_p1.next_posted_at == DAY0 + DAY + 2 * HOUR
    later = await load_history(store, seeded.community_a, DAY0 + DAY)
    assert min(p.posted_at for p in later.posts) == DAY0 + DAY


async def test_reports_from_a_scoped_read_have_the_same_figures(store: UnitOfWorkFactory) -> None:
    world = await _world(store)
    seeded = world.seeded
    a, b, c = seeded.community_a, seeded.community_b, world.gamma
    whole = await load_history(store)
    scopes = [
        Scope(a), Scope(a, "C1"), Scope(a, since=DAY0 + DAY), Scope(a, "C1", DAY0 + 2 * DAY),
        Scope(b), Scope(c), Scope(c, since=DAY0 + DAY + HOUR),
    ]  # fmt: skip
    for scope in scopes:
        scoped = await load_history(store, scope.community_id, scope.since)
        assert build_report(scoped, scope, NOW) == build_report(whole, scope, NOW), scope
    report = build_report(await load_history(store, a), Scope(a), NOW)
    # p1 everywhere: C1 2/10 and 1/10, C2 1/4 (m8 came after p4 closed the window), C3 1/1
    # (m6 came after p4; audience not recorded: m7 alone was active).
    assert report.pooled[seeded.p1] == Rate(5, 25)
