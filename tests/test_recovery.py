"""Crash recovery beyond exactly-once (issue 14 and 13): what members did on a post recovery
found is read back, replies written while the bot was away are caught up, a dead worker's
claims are taken over without waiting out the lease, and one bad row spares the others."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

import numpy as np

from bot.core.domain import PlatformName, PostStatus, ReactionAdded, ReplyPosted, ResponseKind
from bot.core.ports import PlatformError, UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer, DeliveryConfig
from bot.delivery.recovery import LocalLiveness
from bot.engagement.members import MemberKeys
from bot.learning.selection import UniformPolicy
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import daily, drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SLACK = PlatformName.SLACK


async def responses(store: UnitOfWorkFactory, post_id: int) -> list[tuple[str, str, str]]:
    async with store() as u:
        rows = await u.responses.for_post(post_id)
    return sorted((m, k.value, e) for m, k, e, _ in rows)


async def test_a_post_recovery_finds_gets_its_reactions_and_replies_read_back(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    schedule = await daily(service)
    clock.advance(timedelta(hours=1))
    platform.lose_reply = True  # posted, but the process "died" before recording it
    await service.post_due()
    [claimed] = await service.posts_of(schedule.id)
    assert claimed.status is PostStatus.CLAIMED
    # Members respond to the message nobody recorded: the live events find no post.
    replied_at = clock.now() + timedelta(minutes=1)
    await service.handle_event(ReactionAdded(SLACK, "T1", "C1", "m1", "U1", "🐯", replied_at))
    await service.handle_event(ReplyPosted(SLACK, "T1", "C1", "t1", "U2", replied_at))
    assert await responses(store, claimed.id) == []
    platform.reactions["m1"] = {("U1", "🐯"), ("U3", "🐦")}
    platform.replies["m1"] = [("U2", replied_at), ("U2", replied_at + timedelta(minutes=1))]
    clock.advance(timedelta(minutes=5))

    assert await service.recover(lease=timedelta(0)) == 1

    [post] = await service.posts_of(schedule.id)
    assert post.status is PostStatus.SENT and len(platform.messages) == 1
    key = service.members.key
    assert await responses(store, post.id) == sorted(
        [
            (key(SLACK, "U1"), "reaction", "🐯"),
            (key(SLACK, "U3"), "reaction", "🐦"),
            (key(SLACK, "U2"), "reply", ""),
        ]
    )
    async with store() as u:
        [reply] = [r for r in await u.responses.for_post(post.id) if r[1] is ResponseKind.REPLY]
    assert reply[3] == replied_at  # the reply's own time, not the restart's


async def test_replies_written_while_away_are_caught_up_once_for_every_open_post(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    first, second = await daily(service, "C1"), await daily(service, "C2")
    clock.advance(timedelta(hours=1))
    assert await service.post_due() == 2
    [p1], [p2] = await service.posts_of(first.id), await service.posts_of(second.id)
    at = clock.now() + timedelta(minutes=3)
    thread = p1.thread_id or ""
    await service.handle_event(ReplyPosted(SLACK, "T1", "C1", thread, "U1", at))  # seen live
    platform.replies[p1.message_id or ""] = [("U1", at), ("U2", at + timedelta(minutes=1))]
    platform.replies[p2.message_id or ""] = [("U3", at)]
    clock.advance(timedelta(hours=2))

    assert await service.catch_up_replies() == 2
    assert await service.catch_up_replies() == 0  # idempotent

    key = service.members.key
    assert await responses(store, p1.id) == sorted(
        [(key(SLACK, "U1"), "reply", ""), (key(SLACK, "U2"), "reply", "")]
    )
    assert await responses(store, p2.id) == [(key(SLACK, "U3"), "reply", "")]
    async with store() as u:
        assert await u.activity.audience(first.community_id, "C1", MONDAY_8) == 2


async def test_one_row_that_raises_in_recovery_is_marked_failed_and_the_others_go_on(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    bad, good = await daily(service, "C1"), await daily(service, "C2")
    clock.advance(timedelta(hours=1))
    platform.fail_next = [PlatformError("503"), PlatformError("503")]  # both left claimed
    await service.post_due()
    [left] = await service.posts_of(bad.id)
    platform.broken_marker = left.marker  # e.g. a prompt the console cannot render

    assert await service.recover(lease=timedelta(0)) == 2  # does not raise

    [failed], [sent] = await service.posts_of(bad.id), await service.posts_of(good.id)
    assert failed.status is PostStatus.FAILED and "cannot render" in (failed.error or "")
    assert sent.status is PostStatus.SENT
    assert not (await service.get_schedule(bad.id)).paused  # one bad row, not a bad schedule
    assert await service.recover(lease=timedelta(0)) == 0


async def test_one_row_that_raises_while_posting_spares_the_batch(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    service, platform = make_service(store, clock)
    await service.sync_library(drafts(20))
    bad = await daily(service, "C1")
    for channel in ("C2", "C3"):
        await daily(service, channel)
    clock.advance(timedelta(hours=1))
    platform.broken_marker = f"tb:{bad.id}:{int(clock.now().timestamp())}"

    assert await service.post_due() == 3  # does not raise

    assert len(platform.messages) == 2
    [left] = await service.posts_of(bad.id)
    assert left.status is PostStatus.CLAIMED and "cannot render" in (left.error or "")
    clock.advance(timedelta(seconds=30))  # its own retry raises again: it is given up
    assert await service.recover() == 1
    assert [p.status for p in await service.posts_of(bad.id)] == [PostStatus.FAILED]


class ScriptedLiveness(LocalLiveness):
    """A worker whose view of which others are dead the test sets."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(worker_id)
        self.known_dead: set[str] = set()
        self.asked: list[set[str]] = []

    async def dead(self, workers: Collection[str]) -> set[str]:
        self.asked.append(set(workers))
        return set(workers) & self.known_dead


def worker(
    store: UnitOfWorkFactory, clock: FrozenClock, platform: FakePlatform, worker_id: str
) -> tuple[Tigerbird, ScriptedLiveness]:
    liveness = ScriptedLiveness(worker_id)
    platforms = {platform.name: platform}
    policy = UniformPolicy(np.random.default_rng(1))
    deliverer = Deliverer(store, platforms, policy, clock, DeliveryConfig(), liveness)
    return Tigerbird(store, platforms, policy, clock, MemberKeys(b"k"), deliverer), liveness


async def test_a_dead_workers_claims_are_taken_over_without_waiting_for_the_lease(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    platform = FakePlatform(SLACK, clock)
    first, _ = worker(store, clock, platform, "0000000a")
    second, view = worker(store, clock, platform, "0000000b")
    await first.sync_library(drafts(20))
    schedule = await daily(first)
    clock.advance(timedelta(hours=1))
    platform.lose_reply = True  # the first worker posts, then dies before recording it
    await first.post_due()
    [claimed] = await first.posts_of(schedule.id)
    assert claimed.claimed_by == "0000000a"
    clock.advance(timedelta(seconds=5))

    assert await second.recover() == 0  # the owner may be alive: its lease holds
    assert view.asked == [{"0000000a"}]
    view.known_dead.add("0000000a")
    assert await second.recover() == 1  # provably dead: taken over at once

    [post] = await second.posts_of(schedule.id)
    assert post.status is PostStatus.SENT and len(platform.messages) == 1  # found, not reposted
    assert post.claimed_by == "0000000b"


async def test_own_retries_never_take_a_row_another_worker_took_over(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    platform = FakePlatform(SLACK, clock)
    first, _ = worker(store, clock, platform, "0000000a")
    second, view = worker(store, clock, platform, "0000000b")
    await first.sync_library(drafts(20))
    schedule = await daily(first)
    clock.advance(timedelta(hours=1))
    platform.fail_next = [PlatformError("503"), PlatformError("503")]
    await first.post_due()  # the first worker will retry its own row in 20 s
    view.known_dead.add("0000000a")  # ... but the second one thinks it is dead
    await second.recover()  # takes it over, fails again: now the second one's own retry
    clock.advance(timedelta(seconds=25))

    assert await first.recover() == 0  # not its row any more
    assert await second.recover() == 1
    assert len(platform.messages) == 1
    assert [p.status for p in await first.posts_of(schedule.id)] == [PostStatus.SENT]
