"""Recording a batch of engagement events: the same outcome as one by one, in a fixed number
of statements whatever the batch size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from bot.core.domain import (
    EngagementEvent,
    MemberSeen,
    PlatformName,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)
from bot.core.ports import UnitOfWorkFactory
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.memory import MemoryStore
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.scale.ingest import SLOT, make_events, seed_posts

D = PlatformName.DISCORD
T0 = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def mixed_events() -> list[EngagementEvent]:
    """Adds, removals and re-adds of the same reactions, replays, replies, strangers."""
    return [
        ReactionAdded(D, "G1", "C0", "M0", "u1", "🐯", _at(1)),
        ReactionAdded(D, "G1", "C0", "M0", "u1", "🐯", _at(2)),  # replay
        ReactionRemoved(D, "G1", "C0", "M0", "u1", "🐯", _at(3)),
        ReactionAdded(D, "G1", "C0", "M0", "u1", "🐯", _at(4)),  # re-added after removal
        ReactionAdded(D, "G1", "C1", "M1", "u2", "☕", _at(1)),
        ReactionRemoved(D, "G1", "C1", "M1", "u2", "☕", _at(2)),  # removed for good
        ReactionRemoved(D, "G1", "C1", "M1", "u3", "☕", _at(2)),  # removal of nothing
        ReplyPosted(D, "G1", "C1", "T1", "u3", _at(5)),
        ReplyPosted(D, "G1", "C2", "T1", "u3", _at(6)),  # thread id, any channel
        ReplyPosted(D, "G1", "C9", "elsewhere", "u4", _at(7)),  # not a post: activity only
        MemberSeen(D, "G1", "C2", "u5", _at(8)),
        ReactionAdded(D, "G1", "C0", "M0", "u6", "🐯", _at(1)),  # then removed in a later batch
        ReactionAdded(D, "G404", "C0", "M0", "u7", "🐯", _at(1)),  # unknown community
    ]


async def _snapshot(store: UnitOfWorkFactory) -> tuple[list[Any], dict[str, int]]:
    responses = []
    async with store() as u:
        for p in await u.posts.all():
            for m, k, e, at in await u.responses.for_post(p.id):
                responses.append((p.marker, m, k.value, e, at))
        community = await u.communities.find(D, "G1")
        assert community is not None
        since = T0 - timedelta(days=1)
        audience = {
            c: await u.activity.audience(community.id, c, since) for c in ("C0", "C1", "C2", "C9")
        }
    return sorted(responses), audience


async def test_a_batch_ends_as_recording_one_by_one(store: UnitOfWorkFactory) -> None:
    reference = MemoryStore()
    batched, _ = make_service(store, FrozenClock(SLOT))
    single, _ = make_service(reference, FrozenClock(SLOT))
    for service in (batched, single):
        await seed_posts(service, 3)
    events = mixed_events()
    later = [ReactionRemoved(D, "G1", "C0", "M0", "u6", "🐯", _at(9)), *events[:2]]
    await batched.handle_events(events)
    await batched.handle_events(later)
    for e in events + later:
        await single.engagement.record([e])
    responses, audience = await _snapshot(store)
    assert (responses, audience) == await _snapshot(reference)
    assert {(m, k, e, at) for _, m, k, e, at in responses} == {
        (batched.members.key(D, "u1"), "reaction", "🐯", _at(4)),
        (batched.members.key(D, "u3"), "reply", "", _at(5)),
    }  # member ids are stored as keyed hashes, never raw
    assert audience == {"C0": 2, "C1": 2, "C2": 1, "C9": 1}  # a reply counts in the post's channel


async def test_statements_per_batch_do_not_grow_with_the_batch(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    service, _ = make_service(uow, FrozenClock(SLOT))
    placed = await seed_posts(service, 20)
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        statements.append(sql)

    counts = []
    for size, offset in ((10, 0), (400, 10)):
        statements.clear()
        batch = make_events(placed, size, offset)
        removal = batch[0]
        assert isinstance(removal, ReactionAdded)
        await service.handle_events([*batch, ReactionRemoved(*vars(removal).values())])
        counts.append(len(statements))
    await engine.dispose()
    # Recording: communities, posts, delete, insert, last-seen read, hourly-count upsert,
    # activity upsert (+ BEGIN); then the member rituals (bot/service_layer/rituals.py):
    # communities, kept replies, posts, opt-outs, streak facts, milestones (+ BEGIN), as many
    # for 10 events as for 400.
    assert counts[0] == counts[1] <= 17
