"""A channel with a daily post and members answering it, for the member-ritual tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.domain import (
    PlatformName,
    Post,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
    Schedule,
)
from bot.core.ports import UnitOfWorkFactory
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import daily, drafts, make_service

SLACK = PlatformName.SLACK
MARCH_2_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday, before the 09:00 slot


class RitualWorld:
    """The service over a store, a fake Slack, a frozen clock and one daily schedule."""

    def __init__(self, store: UnitOfWorkFactory, start: datetime = MARCH_2_8) -> None:
        self.store = store
        self.clock = FrozenClock(start)
        self.service: Tigerbird
        self.platform: FakePlatform
        self.service, self.platform = make_service(store, self.clock)
        self.schedule: Schedule
        self.replies = 0

    async def start(
        self,
        *,
        streaks: bool = True,
        regulars: bool = False,
        best_answer: bool = False,
        digest: bool = False,
    ) -> RitualWorld:
        await self.service.sync_library(drafts(60))
        schedule = await daily(self.service)
        switched = replace(
            schedule, streaks=streaks, regulars=regulars, best_answer=best_answer, digest=digest
        )
        self.schedule = await self.service.update_schedule(switched)
        return self

    async def next_post(self) -> Post:
        """Move to an hour after the next slot and post it."""
        due = (await self.service.get_schedule(self.schedule.id)).next_slot_at
        assert due is not None
        self.clock.set(max(due, self.clock.now()) + timedelta(hours=1))
        assert await self.service.post_due() == 1
        return max(await self.service.posts_of(self.schedule.id), key=lambda p: p.slot_at)

    async def reply(
        self, post: Post, member: str, text: str = "an answer", team: str = "T1"
    ) -> ReplyPosted:
        self.replies += 1
        at = self.clock.now() + timedelta(minutes=self.replies % 50)
        event = ReplyPosted(
            SLACK, team, "C1", post.thread_id or "", member, at, f"r{self.replies}", text
        )
        await self.service.handle_event(event)
        return event

    async def react(
        self, message_id: str, member: str, emoji: str = "👍", hours: float = 1
    ) -> None:
        at = self.clock.now() + timedelta(hours=hours)
        await self.service.handle_event(
            ReactionAdded(SLACK, "T1", "C1", message_id, member, emoji, at)
        )

    async def unreact(self, message_id: str, member: str, emoji: str = "👍") -> None:
        at = self.clock.now()
        await self.service.handle_event(
            ReactionRemoved(SLACK, "T1", "C1", message_id, member, emoji, at)
        )

    def key(self, member: str) -> str:
        return self.service.members.key(SLACK, member)

    async def choose(
        self, member: str, *, opted_out: bool | None = None, named: bool | None = None
    ) -> None:
        await self.service.set_member_rituals(SLACK, "T1", member, opted_out=opted_out, named=named)
