"""Member rituals on the engagement path: streak milestones acknowledged in the thread, the
thread replies (and their reactions) kept for the best answer, and a member's own view and
choices (`/tigerbird me`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.domain import (
    Community,
    EngagementEvent,
    PlatformName,
    Post,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
    Schedule,
    Target,
)
from bot.core.ports import PlatformError, ThreadMessages, UnitOfWork
from bot.core.rituals import RitualMember, Spoken, ThreadReply
from bot.engagement.streaks import Streak, milestone, milestone_text, streak_at, streak_of
from bot.service_layer.base import NotFound, ServiceBase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MemberRituals:
    """What `/tigerbird me` shows: the member's choices and their streaks per channel."""

    choices: RitualMember
    streaks: list[Streak]


class RitualUseCases(ServiceBase):
    """Streaks, kept replies and members' ritual choices."""

    async def after_events(self, events: Sequence[EngagementEvent]) -> None:
        """The rituals' part of recorded events (call after they are committed): acknowledge
        streak milestones, keep replies and their reactions for the best answer. A fixed
        number of statements whatever the number of events (plus one per reaction on a kept
        reply). A failure is logged, never raised: the events themselves are stored."""
        replies = [e for e in events if isinstance(e, ReplyPosted)]
        reactions = [e for e in events if isinstance(e, ReactionAdded | ReactionRemoved)]
        if not replies and not reactions:
            return
        try:
            async with self.uow() as u:
                wanted = {(e.platform, e.community) for e in [*replies, *reactions]}
                communities = await u.communities.find_many(wanted)
                if reactions:
                    await self._reply_reactions(u, communities, reactions)
                said = await self._replies(u, communities, replies) if replies else []
                await u.commit()
            for community, target, parts in said:
                await self._say(community, target, parts)
        except Exception:  # rituals must never cost an engagement event
            log.exception("rituals after %d engagement event(s) failed", len(events))

    async def _reply_reactions(
        self,
        u: UnitOfWork,
        communities: Mapping[tuple[PlatformName, str], Community],
        reactions: Sequence[ReactionAdded | ReactionRemoved],
    ) -> None:
        """Reactions on kept replies (most reactions are on posts: one query finds none)."""
        keyed = [
            (c.id, e, self.members.key(c.platform, e.member_id))
            for e in reactions
            if (c := communities.get((e.platform, e.community))) is not None
        ]
        kept = await u.rituals.kept_replies({(cid, e.message_id) for cid, e, _ in keyed})
        on_kept = [(cid, e, key) for cid, e, key in keyed if (cid, e.message_id) in kept]
        if not on_kept:
            return
        out = await u.rituals.opted_out_among({(cid, key) for cid, _, key in on_kept})
        for cid, event, key in on_kept:
            if (cid, key) in out:
                continue
            if isinstance(event, ReactionAdded):
                await u.rituals.react_reply(cid, event.message_id, key, event.emoji, event.at)
            else:
                await u.rituals.unreact_reply(cid, event.message_id, key, event.emoji)

    async def _replies(
        self,
        u: UnitOfWork,
        communities: Mapping[tuple[PlatformName, str], Community],
        replies: Sequence[ReplyPosted],
    ) -> list[tuple[Community, Target, Spoken]]:
        """Keep replies where a best answer is wanted; acknowledge new streak milestones."""
        refs = await u.posts.by_messages({(e.channel, e.parent_id) for e in replies})
        posts = await u.rituals.posts_with_schedules({r.post_id for r in refs.values()})
        found: list[tuple[Community, Post, Schedule, str, ReplyPosted]] = []
        for e in replies:
            community = communities.get((e.platform, e.community))
            ref = refs.get((e.channel, e.parent_id))
            if community is None or ref is None or ref.post_id not in posts:
                continue
            post, schedule = posts[ref.post_id]
            if schedule.community_id == community.id:
                key = self.members.key(community.platform, e.member_id)
                found.append((community, post, schedule, key, e))
        out = await u.rituals.opted_out_among({(c.id, key) for c, _, _, key, _ in found})
        found = [f for f in found if (f[0].id, f[3]) not in out]
        await u.rituals.add_replies(
            [
                ThreadReply(c.id, p.id, e.message_id, key, e.at, e.text.strip()[:1000] or None)
                for c, p, s, key, e in found
                if (s.best_answer or s.digest) and e.message_id
            ]
        )
        return await self._milestones(u, [f for f in found if f[2].streaks])

    async def _milestones(
        self, u: UnitOfWork, found: list[tuple[Community, Post, Schedule, str, ReplyPosted]]
    ) -> list[tuple[Community, Target, Spoken]]:
        if not found:
            return []
        channels = {(c.id, s.channel) for c, _, s, _, _ in found}
        posts, answered = await u.rituals.streak_facts(channels, {f[3] for f in found})
        reached: dict[tuple[int, str], tuple[int, str, int, datetime]] = {}
        for c, post, s, key, e in found:
            done = answered.get((c.id, s.channel, key), set())
            length = milestone(streak_at(posts.get((c.id, s.channel), []), done, post.id))
            if length is not None:
                reached.setdefault((post.id, key), (post.id, key, length, e.at))
        new = await u.rituals.add_milestones(list(reached.values()))
        said: list[tuple[Community, Target, Spoken]] = []
        for c, post, s, key, e in found:
            if (post.id, key) in new:
                new.discard((post.id, key))
                target = Target(s.channel, post.message_id or e.parent_id, post.thread_id)
                said.append((c, target, (milestone_text(reached[(post.id, key)][2]),)))
        return said

    async def _say(self, community: Community, target: Target, parts: Spoken) -> bool:
        """Say `parts` in the post's thread; False when the platform cannot or refuses."""
        platform = self.platforms.get(community.platform)
        if not isinstance(platform, ThreadMessages):
            return False
        try:
            await platform.say_in_thread(community.external_id, target, parts)
        except PlatformError as error:
            log.warning("could not speak in a thread of %s: %s", target.channel, error)
            return False
        return True

    async def member_rituals(
        self, platform: PlatformName, community: str, member_id: str
    ) -> MemberRituals:
        """The member's choices and streaks in every channel of the community they answered in."""
        async with self.uow() as u:
            found = await u.communities.find(platform, community)
            if found is None:
                raise NotFound("this community has no Tigerbird schedule yet")
            member = self.members.key(platform, member_id)
            choices = await u.rituals.member(found.id, member) or RitualMember(found.id, member)
            answered = await u.rituals.answered(found.id, member)
            streaks = [
                streak_of(channel, await u.rituals.channel_posts(found.id, channel), posts)
                for channel, posts in sorted(answered.items())
            ]
        return MemberRituals(choices, streaks)

    async def set_member_rituals(
        self,
        platform: PlatformName,
        community: str,
        member_id: str,
        *,
        opted_out: bool | None = None,
        named: bool | None = None,
    ) -> RitualMember:
        """Change the member's choices: opting out of every ritual, or in to being named (only
        then is their platform id stored). Opting out also stops them being named."""
        async with self.uow() as u:
            found = await u.communities.find(platform, community)
            if found is None:
                raise NotFound("this community has no Tigerbird schedule yet")
            member = self.members.key(platform, member_id)
            choices = await u.rituals.member(found.id, member) or RitualMember(found.id, member)
            if opted_out is not None:
                choices = replace(choices, opted_out=opted_out)
                if opted_out:
                    choices = replace(choices, named=False)
            if named is not None:  # asking to be named is taking part again
                choices = replace(choices, named=named, opted_out=choices.opted_out and not named)
            choices = replace(choices, platform_id=member_id if choices.named else None)
            await u.rituals.set_member(choices)
            await u.commit()
        return choices
