"""Recording engagement: reactions, replies and who is active, idempotently; and catching up
with reactions the platform saw while the bot was down."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot.core.domain import (
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
from bot.core.ports import (
    ActivityRecord,
    Clock,
    Platform,
    PlatformError,
    ResponseRecord,
    UnitOfWorkFactory,
)
from bot.engagement.members import MemberKeys

log = logging.getLogger(__name__)
CATCH_UP_CONCURRENCY = 10  # within the database pool (SQLAlchemy: 5 + 10 overflow)
ResponseKey = tuple[int, str, ResponseKind, str]


def _parent(event: ReactionAdded | ReactionRemoved | ReplyPosted) -> str:
    """The id of the message (or thread) the event is about."""
    return event.parent_id if isinstance(event, ReplyPosted) else event.message_id


def _response(event: ReactionAdded | ReplyPosted) -> tuple[ResponseKind, str]:
    if isinstance(event, ReactionAdded):
        return ResponseKind.REACTION, event.emoji
    return ResponseKind.REPLY, ""


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
        """Record several events in one transaction (all are stored or none is), with a
        fixed number of statements whatever their count. The outcome is that of recording
        them one by one in order: repeats change nothing, a removal undoes the adds before
        it and not those after it."""
        keyed = [(event, self.members.key(event.platform, event.member_id)) for event in events]
        async with self.uow() as u:
            communities = await u.communities.find_many({(e.platform, e.community) for e in events})
            posts = await u.posts.by_messages(
                {(e.channel, _parent(e)) for e in events if not isinstance(e, MemberSeen)}
            )
            removed: set[ResponseKey] = set()
            added: dict[ResponseKey, ResponseRecord] = {}
            seen: list[ActivityRecord] = []
            for event, member in keyed:
                community = communities.get((event.platform, event.community))
                if community is None:
                    continue
                if isinstance(event, MemberSeen):
                    seen.append(ActivityRecord(community.id, event.channel, member, event.at))
                    continue
                ref = posts.get((event.channel, _parent(event)))
                if ref is None:  # not one of our posts: a reply still counts as activity
                    if isinstance(event, ReplyPosted):
                        seen.append(ActivityRecord(community.id, event.channel, member, event.at))
                    continue
                if isinstance(event, ReactionRemoved):
                    key = (ref.post_id, member, ResponseKind.REACTION, event.emoji)
                    removed.add(key)
                    added.pop(key, None)  # a later add of the same reaction stands
                    continue
                kind, emoji = _response(event)
                added.setdefault(
                    (ref.post_id, member, kind, emoji),
                    ResponseRecord(ref.post_id, member, kind, emoji, event.at),
                )
                seen.append(ActivityRecord(community.id, ref.channel, member, event.at))
            if removed:
                await u.responses.remove_many(removed)
            if added:
                await u.responses.add_many(list(added.values()))
            if seen:
                await u.activity.seen_many(seen)
            await u.commit()

    async def remove_bot(self, platform: PlatformName, community: str, member_id: str) -> int:
        """Undo what a member later known to be a bot was recorded as doing in one community:
        their responses and activity go, and the posts they answered lose their recorded
        outcome (it is recorded again without them). Returns how many responses went."""
        member = self.members.key(platform, member_id)
        async with self.uow() as u:
            found = await u.communities.find(platform, community)
            if found is None:
                return 0
            post_ids = await u.responses.remove_member(found.id, member)
            await u.activity.forget_member(found.id, member)
            for post_id in sorted(post_ids):
                post = await u.posts.get(post_id)
                if post is not None and post.outcome_at is not None:
                    post.responders = post.audience = post.outcome_at = None
                    await u.posts.update(post)
            await u.commit()
        return len(post_ids)

    async def catch_up_reactions(self, window: timedelta = timedelta(hours=25)) -> int:
        """Make stored reactions on still-open posts match the platform (events sent while the
        bot was away are not replayed to it). Returns how many responses changed."""
        now = self.clock.now()
        async with self.uow() as u:
            recent = [
                p
                for p in await u.posts.awaiting_outcome(5000)
                if p.message_id and (p.posted_at or p.slot_at) >= now - window
            ]
            if not recent:
                return 0
            schedules = {s.id: s for s in await u.schedules.all()}
            open_posts = [(p, schedules.get(p.schedule_id)) for p in recent]
            communities = {c.id: c for c in await u.communities.all()}
        # Posts are read back side by side: the platform pacers keep each workspace (Slack)
        # or bot (Discord) within its limits, so one busy workspace does not hold up the rest.
        gate = asyncio.Semaphore(CATCH_UP_CONCURRENCY)

        async def one(post: Post, schedule: Schedule | None) -> int:
            community = communities.get(schedule.community_id) if schedule else None
            platform = self.platforms.get(community.platform) if community else None
            if schedule is None or community is None or platform is None:
                return 0
            target = Target(schedule.channel, post.message_id or "", post.thread_id)
            async with gate:
                try:
                    live = await platform.current_reactions(community.external_id, target)
                except PlatformError as error:
                    log.warning("could not read reactions of %s: %s", post.marker, error)
                    return 0
                if live is None:  # the platform cannot tell: keep what is stored
                    return 0
                return await self._match_reactions(post, schedule, community, live, now)

        return sum(await asyncio.gather(*(one(p, s) for p, s in open_posts)))

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

    async def catch_up_post(self, post: Post, schedule: Schedule, community: Community) -> int:
        """A post crash recovery found on the platform: reactions and replies made before it
        was recorded found no post, so read them back. Returns how many responses changed."""
        platform = self.platforms.get(community.platform)
        if platform is None or not post.message_id:
            return 0
        target = Target(schedule.channel, post.message_id, post.thread_id)
        changed = 0
        try:
            live = await platform.current_reactions(community.external_id, target)
        except PlatformError as error:
            log.warning("could not read reactions of %s: %s", post.marker, error)
        else:
            if live is not None:  # None: the platform cannot tell, keep what is stored
                now = self.clock.now()
                changed += await self._match_reactions(post, schedule, community, live, now)
        return changed + await self._catch_up_replies_of(platform, post, schedule, community)

    async def catch_up_replies(self, window: timedelta = timedelta(hours=25)) -> int:
        """Store the replies written to still-open posts while the bot was away (neither
        platform replays them). Idempotent; returns how many replies were new."""
        open_posts = await self._open_posts(window)
        gate = asyncio.Semaphore(CATCH_UP_CONCURRENCY)

        async def one(post: Post, schedule: Schedule, community: Community) -> int:
            platform = self.platforms.get(community.platform)
            if platform is None:
                return 0
            async with gate:
                return await self._catch_up_replies_of(platform, post, schedule, community)

        return sum(await asyncio.gather(*(one(*found) for found in open_posts)))

    async def _open_posts(self, window: timedelta) -> list[tuple[Post, Schedule, Community]]:
        """Sent posts of the last `window` whose outcome is not recorded yet."""
        since = self.clock.now() - window
        async with self.uow() as u:
            recent = [
                p
                for p in await u.posts.awaiting_outcome(5000)
                if p.message_id and (p.posted_at or p.slot_at) >= since
            ]
            if not recent:
                return []
            schedules = {s.id: s for s in await u.schedules.all()}
            communities = {c.id: c for c in await u.communities.all()}
        found = []
        for post in recent:
            schedule = schedules.get(post.schedule_id)
            community = communities.get(schedule.community_id) if schedule else None
            if schedule is not None and community is not None:
                found.append((post, schedule, community))
        return found

    async def _catch_up_replies_of(
        self, platform: Platform, post: Post, schedule: Schedule, community: Community
    ) -> int:
        target = Target(schedule.channel, post.message_id or "", post.thread_id)
        try:
            live = await platform.current_replies(community.external_id, target)
        except PlatformError as error:
            log.warning("could not read replies to %s: %s", post.marker, error)
            return 0
        first: dict[str, datetime] = {}
        last: dict[str, datetime] = {}
        for member_id, at in sorted(live, key=lambda reply: reply[1]):
            member = self.members.key(community.platform, member_id)
            first.setdefault(member, at)
            last[member] = at
        if not first:
            return 0
        async with self.uow() as u:
            stored = {m for m, kind, _, _ in await u.responses.for_post(post.id)
                      if kind is ResponseKind.REPLY}  # fmt: skip
            new = [
                ResponseRecord(post.id, member, ResponseKind.REPLY, "", at)
                for member, at in first.items()
                if member not in stored
            ]
            if new:
                await u.responses.add_many(new)
            seen = [ActivityRecord(community.id, schedule.channel, m, at) for m, at in last.items()]
            await u.activity.seen_many(seen)
            await u.commit()
        return len(new)
