"""The read-side ports (bot.core.ports.reads): one contract for memory, SQLite and PostgreSQL.

The fixture is `seed_history` (tests.test_analytics_history) plus member U42 of Slack: a reply
in C1, a reaction in C2, activity in both, a suggestion, and a manager listing in Alpha.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.analytics.load import load_history_via_ports
from bot.core.domain import (
    PlatformName,
    PostStatus,
    PromptDraft,
    PromptSource,
    PromptStatus,
    ResponseKind,
    ScheduleSpec,
)
from bot.core.ports import POST_COLUMNS, RESPONSE_COLUMNS, NewSchedule, UnitOfWorkFactory
from tests.test_analytics_history import DAY0, seed_history

KEY = "key-of-U42"
SLACK = PlatformName.SLACK


@dataclass(frozen=True)
class Member:
    community_a: int
    community_b: int
    first_c1: int
    only_c2: int
    suggestion: int


async def seed_member(store: UnitOfWorkFactory) -> Member:
    seeded = await seed_history(store)
    async with store() as u:
        posts = await u.posts.all()
        first_c1 = posts[0].id
        only_c2 = next(p.id for p in posts if p.schedule_id != posts[0].schedule_id)
        await u.responses.add(first_c1, KEY, ResponseKind.REPLY, "", DAY0 + timedelta(hours=2))
        await u.responses.add(only_c2, KEY, ResponseKind.REACTION, "👍", DAY0)
        await u.activity.seen(seeded.community_a, "C1", KEY, DAY0)
        await u.activity.seen(seeded.community_b, "C2", KEY, DAY0 + timedelta(hours=1))
        suggestion = await u.prompts.add(
            PromptDraft("s/1", "Best snack?", "food"),
            PromptSource.SUGGESTED,
            PromptStatus.PENDING,
            seeded.community_a,
            "U42",
        )
        alpha = await u.communities.get(seeded.community_a)
        assert alpha is not None
        alpha.manager_ids = ("U7", "U42")
        await u.communities.update(alpha)
        await u.commit()
    return Member(seeded.community_a, seeded.community_b, first_c1, only_c2, suggestion.id)


async def test_history_reader_gives_the_rows_of_the_reference_loader(
    store: UnitOfWorkFactory,
) -> None:
    await seed_history(store)
    async with store() as u:
        history = await u.history.load()
    assert history == await load_history_via_ports(store)
    assert len(history.posts) == 5 and len(history.prompts) == 3
    assert {c.name for c in history.communities.values()} == {"Alpha", "Beta"}
    c1 = history.where(channel="C1")
    # The last C1 post has no recorded audience: m1, m2 and m3 were seen in the 28 days before.
    assert [p.audience for p in c1] == [10, 10, 10, 3]
    assert [p.next_posted_at for p in c1] == [p.posted_at for p in c1[1:]] + [None]
    first = c1[0].responses
    assert [(r.member_key, r.kind) for r in first] == [
        ("m1", ResponseKind.REACTION),
        ("m2", ResponseKind.REPLY),
        ("m1", ResponseKind.REPLY),
    ]


async def test_history_leaves_out_unsent_and_promptless_posts_but_keeps_every_prompt(
    store: UnitOfWorkFactory,
) -> None:
    seeded = await seed_history(store)
    async with store() as u:
        schedule = await u.schedules.add(
            NewSchedule(seeded.community_a, "C9", ScheduleSpec()), None
        )
        retired = await u.prompts.add(
            PromptDraft("fx/9", "Retired?", "old"), PromptSource.CUSTOM, PromptStatus.RETIRED
        )
        claimed = await u.posts.claim(schedule.id, DAY0, "tb:c", retired.id, None, DAY0)
        promptless = await u.posts.claim(
            schedule.id, DAY0 + timedelta(days=1), "tb:n", None, None, DAY0, PostStatus.SENT
        )
        assert claimed is not None and promptless is not None
        await u.commit()
    async with store() as u:
        history = await u.history.load()
    assert history.where(channel="C9") == ()
    assert history.prompts[retired.id].text == "Retired?"
    assert history == await load_history_via_ports(store)


async def test_show_lists_everything_held_about_the_member(store: UnitOfWorkFactory) -> None:
    m = await seed_member(store)
    async with store() as u:
        data = await u.member_data.show(KEY, SLACK, "U42")
    assert data.member_key == KEY
    assert data.responses == [
        {
            "post_id": str(m.only_c2),
            "channel": "C2",
            "kind": "reaction",
            "emoji": "👍",
            "at": DAY0.isoformat(),
        },
        {
            "post_id": str(m.first_c1),
            "channel": "C1",
            "kind": "reply",
            "emoji": "",
            "at": (DAY0 + timedelta(hours=2)).isoformat(),
        },
    ]
    assert data.activity == [
        {"community_id": str(m.community_a), "channel": "C1", "last_seen": DAY0.isoformat()},
        {
            "community_id": str(m.community_b),
            "channel": "C2",
            "last_seen": (DAY0 + timedelta(hours=1)).isoformat(),
        },
    ]
    assert data.suggestions == [
        {"prompt_id": str(m.suggestion), "status": "pending", "text": "Best snack?"}
    ]
    assert data.managing == [{"community_id": str(m.community_a), "community": "Alpha"}]
    assert data.slack_installations == []


async def test_show_does_not_mix_members_or_platforms(store: UnitOfWorkFactory) -> None:
    await seed_member(store)
    async with store() as u:
        # The same raw id on Discord is another person: nothing of U42 of Slack is theirs.
        other = await u.member_data.show("key-of-discord-U42", PlatformName.DISCORD, "U42")
        m1 = await u.member_data.show("m1", SLACK, "U1")
    assert (other.responses, other.activity, other.suggestions, other.managing) == ([], [], [], [])
    assert [r["kind"] for r in m1.responses] == ["reaction", "reply", "reaction"]
    assert [a["channel"] for a in m1.activity] == ["C1"]
    assert (m1.suggestions, m1.managing) == ([], [])


async def test_forget_removes_exactly_that_members_data(store: UnitOfWorkFactory) -> None:
    m = await seed_member(store)
    async with store() as u:
        before = await u.exports.responses()
        done = await u.member_data.forget(KEY, SLACK, "U42")
        await u.commit()
    assert (done.responses, done.activity, done.posts_reset) == (2, 2, 2)
    assert (done.suggestions_unattributed, done.manager_listings) == (1, 1)
    async with store() as u:
        after = await u.exports.responses()
        data = await u.member_data.show(KEY, SLACK, "U42")
        alpha = await u.communities.get(m.community_a)
        suggestion = await u.prompts.get(m.suggestion)
        reset = [await u.posts.get(m.first_c1), await u.posts.get(m.only_c2)]
        untouched = [p for p in await u.posts.all() if p.id not in (m.first_c1, m.only_c2)]
        audience_c1 = await u.activity.audience(m.community_a, "C1", DAY0 - timedelta(days=1))
    assert after == [r for r in before if r["member_key"] != KEY] and len(after) == 8
    assert (data.responses, data.activity, data.suggestions, data.managing) == ([], [], [], [])
    assert alpha is not None and alpha.manager_ids == ("U7",)
    assert suggestion is not None and suggestion.suggested_by is None
    assert suggestion.text == "Best snack?" and suggestion.status is PromptStatus.PENDING
    assert all(p is not None and p.outcome_at is None and p.responders is None for p in reset)
    assert all(p is not None and p.audience is None for p in reset)
    # Posts U42 did not answer keep their outcome (the last C1 post never had one).
    assert sum(p.outcome_at is not None for p in untouched) == 2
    assert audience_c1 == 3  # m1, m2, m3 remain


async def test_forget_without_commit_changes_nothing(store: UnitOfWorkFactory) -> None:
    await seed_member(store)
    async with store() as u:
        before = await u.member_data.show(KEY, SLACK, "U42")
        await u.member_data.forget(KEY, SLACK, "U42")
    async with store() as u:
        assert await u.member_data.show(KEY, SLACK, "U42") == before


async def test_forgetting_an_unknown_member_counts_nothing(store: UnitOfWorkFactory) -> None:
    await seed_member(store)
    async with store() as u:
        done = await u.member_data.forget("nobody", SLACK, "U0")
        await u.commit()
    assert (done.responses, done.activity, done.posts_reset) == (0, 0, 0)
    assert (done.suggestions_unattributed, done.manager_listings) == (0, 0)
    async with store() as u:
        assert len(await u.exports.responses()) == 10


async def test_export_rows_are_csv_ready_strings(store: UnitOfWorkFactory) -> None:
    seeded = await seed_history(store)
    async with store() as u:
        schedule = await u.schedules.add(
            NewSchedule(seeded.community_b, "C3", ScheduleSpec()), None
        )
        await u.posts.claim(schedule.id, DAY0 - timedelta(days=1), "tb:x", None, None, DAY0)
        await u.commit()
    async with store() as u:
        posts = await u.exports.posts()
        responses = await u.exports.responses()
        first_c1 = (await u.posts.all(await _schedule_of(store, "C1")))[0]
    assert all(tuple(row) == POST_COLUMNS for row in posts)
    assert len(posts) == 6
    # The claimed post without a prompt comes first (earliest slot); its blanks are empty.
    assert posts[0] | {"post_id": ""} == {
        "post_id": "",
        "community": "T2",
        "channel": "C3",
        "prompt_id": "",
        "category": "",
        "prompt": "",
        "slot_at": (DAY0 - timedelta(days=1)).isoformat(),
        "posted_at": "",
        "status": "claimed",
        "message_id": "",
        "responders": "",
        "audience": "",
        "outcome_at": "",
    }
    assert posts[1] == {
        "post_id": str(first_c1.id),
        "community": "T1",
        "channel": "C1",
        "prompt_id": str(seeded.p1),
        "category": "small-joys",
        "prompt": "Question 1?",
        "slot_at": DAY0.isoformat(),
        "posted_at": DAY0.isoformat(),
        "status": "sent",
        "message_id": f"m{first_c1.id}",
        "responders": "0",
        "audience": "10",
        "outcome_at": (DAY0 + timedelta(days=1)).isoformat(),
    }
    assert [p["channel"] for p in posts[1:]] == ["C1", "C2", "C1", "C1", "C1"]
    assert all(tuple(row) == RESPONSE_COLUMNS for row in responses)
    assert [(r["member_key"], r["kind"], r["emoji"]) for r in responses[:3]] == [
        ("m9", "reaction", "👍"),
        ("m8", "reaction", "👍"),
        ("m1", "reaction", "👍"),
    ]
    assert responses[0]["community"] == "T2" and responses[0]["channel"] == "C2"
    assert responses[0]["at"] == (DAY0 + timedelta(minutes=3)).isoformat()
    assert len(responses) == 8


async def _schedule_of(store: UnitOfWorkFactory, channel: str) -> int:
    async with store() as u:
        return next(s.id for s in await u.schedules.all() if s.channel == channel)
