"""Stats from a small fixture history, with every number worked out by hand.

`seed_history` is shared by the other analytics, digest and privacy tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.analytics import Scope, build_report, load_history
from bot.analytics.beta import beta_cdf, beta_quantile, credible_interval
from bot.analytics.load import load_history_via_ports
from bot.core.domain import (
    PlatformName,
    PostStatus,
    PromptDraft,
    PromptSource,
    ResponseKind,
    ScheduleSpec,
)
from bot.core.ports import NewSchedule, UnitOfWorkFactory

DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
NOW = DAY0 + timedelta(days=5)
REACTION, REPLY = ResponseKind.REACTION, ResponseKind.REPLY


@dataclass(frozen=True)
class Seeded:
    community_a: int
    community_b: int
    p1: int
    p2: int
    p3: int


async def seed_history(store: UnitOfWorkFactory) -> Seeded:
    """Community A channel C1: p1, p2, p1, p3 on four days; community B channel C2: p1 once.

    C1 per post (responders/audience): 2/10, 1/10, 1/10 (a reaction after the window does not
    count), 0/3 (audience not recorded yet: m1, m2, m3 seen in the last 28 days; m4 too long
    ago). C2: 2/4.
    """
    async with store() as u:
        a = await u.communities.ensure(PlatformName.SLACK, "T1", "Alpha")
        b = await u.communities.ensure(PlatformName.SLACK, "T2", "Beta")
        spec = ScheduleSpec()
        s1 = await u.schedules.add(NewSchedule(a.id, "C1", spec), None)
        s2 = await u.schedules.add(NewSchedule(b.id, "C2", spec), None)
        p1, p2, p3 = [
            await u.prompts.add(PromptDraft(f"fx/{i}", f"Question {i}?", cat), PromptSource.CUSTOM)
            for i, cat in ((1, "small-joys"), (2, "small-joys"), (3, "big-questions"))
        ]
        plan = [
            (s1, 0, p1, 10),
            (s1, 1, p2, 10),
            (s1, 2, p1, 10),
            (s1, 3, p3, None),
            (s2, 0, p1, 4),
        ]
        ids = []
        for schedule, day, prompt, audience in plan:
            slot = DAY0 + timedelta(days=day)
            post = await u.posts.claim(
                schedule.id, slot, f"tb:{schedule.id}:{day}", prompt.id, None, slot, PostStatus.SENT
            )
            assert post is not None
            post.message_id, post.posted_at, post.audience = f"m{post.id}", slot, audience
            post.responders = None if audience is None else 0
            post.outcome_at = None if audience is None else slot + timedelta(days=1)
            await u.posts.update(post)
            ids.append(post.id)
        minutes = timedelta(minutes=1)
        responses = [
            (ids[0], "m1", REACTION, "👍", DAY0 + 10 * minutes),
            (ids[0], "m2", REPLY, "", DAY0 + 30 * minutes),
            (ids[0], "m1", REPLY, "", DAY0 + 60 * minutes),
            (ids[1], "m1", REACTION, "🎉", DAY0 + timedelta(days=1, hours=2)),
            (ids[2], "m2", REACTION, "👍", DAY0 + timedelta(days=2) + 5 * minutes),
            (ids[2], "m3", REACTION, "🎉", DAY0 + timedelta(days=2, hours=25)),
            (ids[4], "m9", REACTION, "👍", DAY0 + 3 * minutes),
            (ids[4], "m8", REACTION, "👍", DAY0 + 7 * minutes),
        ]
        for post_id, member, kind, emoji, at in responses:
            assert await u.responses.add(post_id, member, kind, emoji, at)
        for member, at in (
            ("m1", DAY0 + timedelta(hours=1)),
            ("m2", DAY0 + timedelta(days=2)),
            ("m3", DAY0 + timedelta(days=3, hours=1)),
            ("m4", DAY0 - timedelta(days=40)),
        ):
            await u.activity.seen(a.id, "C1", member, at)
        await u.activity.seen(b.id, "C2", "m9", DAY0)
        await u.commit()
    return Seeded(a.id, b.id, p1.id, p2.id, p3.id)


async def test_stats_of_the_fixture_history(store: UnitOfWorkFactory) -> None:
    seeded = await seed_history(store)
    history = await load_history(store)
    report = build_report(history, Scope(seeded.community_a, "C1", label="#C1"), NOW, 42)

    assert report.posts == 4
    assert (report.rate.responders, report.rate.audience) == (4, 33)
    by_id = {p.prompt_id: p for p in report.prompts}
    p1 = by_id[seeded.p1]
    assert (p1.times_posted, p1.rate.responders, p1.rate.audience) == (2, 3, 20)
    assert (p1.unique_responders, p1.replies, p1.reactions) == (3, 2, 3)
    assert p1.median_first_response == timedelta(minutes=7, seconds=30)
    p3 = by_id[seeded.p3]
    assert (p3.times_posted, p3.rate.responders, p3.rate.audience) == (1, 0, 3)
    assert p3.median_first_response is None
    assert [p.prompt_id for p in report.best(3)] == [seeded.p1, seeded.p2, seeded.p3]
    assert [p.prompt_id for p in report.worst(1)] == [seeded.p3]
    pooled = report.pooled[seeded.p1]
    assert (pooled.responders, pooled.audience) == (5, 24)
    assert [(c.category, c.rate.responders, c.rate.audience) for c in report.categories] == [
        ("small-joys", 4, 30),
        ("big-questions", 0, 3),
    ]
    assert report.median_first_response == timedelta(minutes=10)
    assert [(w.week, w.posts) for w in report.weeks] == [(DAY0.date(), 4)]
    assert report.arrow == "→"
    assert report.eligible_left == 42


async def test_open_posts_count_as_posted_but_not_in_rates(store: UnitOfWorkFactory) -> None:
    seeded = await seed_history(store)
    history = await load_history(store)
    early = DAY0 + timedelta(days=3, hours=12)  # the last C1 post's window is still open
    report = build_report(history, Scope(seeded.community_a, "C1"), early)
    assert report.posts == 4
    assert (report.rate.responders, report.rate.audience) == (4, 30)


async def test_sql_bulk_loader_matches_the_ports_loader(store: UnitOfWorkFactory) -> None:
    await seed_history(store)
    assert await load_history(store) == await load_history_via_ports(store)


def test_beta_cdf_matches_closed_forms() -> None:
    for x in (0.01, 0.2, 0.5, 0.9):
        assert abs(beta_cdf(x, 1, 1) - x) < 1e-12
        assert abs(beta_cdf(x, 2, 1) - x * x) < 1e-12
    # Jeffreys' prior itself is the arcsine law: quantile q is sin²(πq/2).
    assert abs(beta_quantile(0.05, 0.5, 0.5) - 0.0061558297024311) < 1e-12


def test_credible_interval_narrows_with_evidence() -> None:
    low, high = credible_interval(10, 100)
    assert round(low, 4) == 0.0591 and round(high, 4) == 0.1578
    wide = credible_interval(1, 10)
    assert wide[0] < 0.1 < wide[1] and wide[1] - wide[0] > high - low
