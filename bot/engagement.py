"""Recording engagement: reactions, replies and who is active, idempotently; and catching up
with reactions the platform saw while the bot was down."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot.domain import (
    Community,
    EngagementEvent,
    MemberSeen,
    PlatformName,
    Post,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
    ResponseKind,
    Schedule,
    Target,
)
from bot.members import MemberKeys
from bot.ports import Clock, Platform, PlatformError, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


class EngagementRecorder:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        platforms: Mapping[PlatformName, Platform],
        members: MemberKeys,
        clock: Clock,
    ) -> None:
        self.uow = uow
        self.platforms = platforms
        self.members = members
        self.clock = clock

    async def record(self, events: Sequence[EngagementEvent]) -> None:
        """Record several events in one transaction: all are stored or none is."""
        communities: dict[tuple[PlatformName, str], Community | None] = {}
        async with self.uow() as u:
            for event in events:
                key = (event.platform, event.community)
                if key not in communities:
                    communities[key] = await u.communities.find(*key)
                community = communities[key]
                if community is not None:
                    await self._record(u, community, event)
            await u.commit()

    async def _record(self, u: UnitOfWork, community: Community, event: EngagementEvent) -> None:
        member = self.members.key(event.platform, event.member_id)
        if isinstance(event, MemberSeen):
            await u.activity.seen(community.id, event.channel, member, event.at)
            return
        parent = event.parent_id if isinstance(event, ReplyPosted) else event.message_id
        found = await u.posts.by_message(event.channel, parent)
        if found is None:
            if isinstance(event, ReplyPosted):
                await u.activity.seen(community.id, event.channel, member, event.at)
            return
        post, schedule = found
        if isinstance(event, ReactionAdded):
            await u.responses.add(post.id, member, ResponseKind.REACTION, event.emoji, event.at)
        elif isinstance(event, ReactionRemoved):
            await u.responses.remove(post.id, member, ResponseKind.REACTION, event.emoji)
        else:
            await u.responses.add(post.id, member, ResponseKind.REPLY, "", event.at)
        if not isinstance(event, ReactionRemoved):
            await u.activity.seen(community.id, schedule.channel, member, event.at)

    async def catch_up_reactions(self, window: timedelta = timedelta(hours=25)) -> int:
        """Make stored reactions on still-open posts match the platform (events sent while the
        bot was away are not replayed to it). Returns how many responses changed."""
        now = self.clock.now()
        async with self.uow() as u:
            schedules = {s.id: s for s in await u.schedules.all()}
            open_posts = [
                (p, schedules.get(p.schedule_id))
                for p in await u.posts.awaiting_outcome(5000)
                if p.message_id and (p.posted_at or p.slot_at) >= now - window
            ]
            communities = {c.id: c for c in await u.communities.all()}
        changed = 0
        for post, schedule in open_posts:
            community = communities.get(schedule.community_id) if schedule else None
            platform = self.platforms.get(community.platform) if community else None
            if schedule is None or community is None or platform is None:
                continue
            target = Target(schedule.channel, post.message_id or "", post.thread_id)
            try:
                live = await platform.current_reactions(community.external_id, target)
            except PlatformError as error:
                log.warning("could not read reactions of %s: %s", post.marker, error)
                continue
            changed += await self._match_reactions(post, schedule, community, live, now)
        return changed

    async def _match_reactions(
        self,
        post: Post,
        schedule: Schedule,
        community: Community,
        live: list[tuple[str, str]],
        now: datetime,
    ) -> int:
        wanted = {(self.members.key(community.platform, m), e) for m, e in live}
        changed = 0
        async with self.uow() as u:
            stored = {
                (m, e)
                for m, kind, e, _ in await u.responses.for_post(post.id)
                if kind is ResponseKind.REACTION
            }
            for member, emoji in wanted - stored:
                changed += await u.responses.add(post.id, member, ResponseKind.REACTION, emoji, now)
                await u.activity.seen(community.id, schedule.channel, member, now)
            for member, emoji in stored - wanted:
                changed += await u.responses.remove(post.id, member, ResponseKind.REACTION, emoji)
            await u.commit()
        return changed
