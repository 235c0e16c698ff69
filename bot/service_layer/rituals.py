"""Member rituals on the engagement path: streak milestones acknowledged in the thread, the
thread replies (and their reactions) kept for the best answer, and a member's own view and
choices (`/tigerbird me`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

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
        streak milestones, keep replies and their reactions for the best answer. A failure is
        logged, never raised: the events themselves are stored."""
        wanted = [e for e in events if isinstance(e, ReplyPosted | ReactionAdded | ReactionRemoved)]
        if not wanted:
            return
        try:
            said: list[tuple[Community, Target, Spoken]] = []
            async with self.uow() as u:
                communities = await u.communities.find_many(
                    {(e.platform, e.community) for e in wanted}
                )
                for event in wanted:
                    community = communities.get((event.platform, event.community))
                    if community is not None:
                        said += await self._ritual_event(u, community, event)
                await u.commit()
            for community, target, parts in said:
                await self._say(community, target, parts)
        except Exception:  # rituals must never cost an engagement event
            log.exception("rituals after %d engagement event(s) failed", len(wanted))

    async def _ritual_event(
        self, u: UnitOfWork, community: Community, event: EngagementEvent
    ) -> list[tuple[Community, Target, Spoken]]:
        member = self.members.key(community.platform, event.member_id)
        choices = await u.rituals.member(community.id, member)
        if choices is not None and choices.opted_out:
            return []
        if isinstance(event, ReactionAdded):
            await u.rituals.react_reply(
                community.id, event.message_id, member, event.emoji, event.at
            )
            return []
        if isinstance(event, ReactionRemoved):
            await u.rituals.unreact_reply(community.id, event.message_id, member, event.emoji)
            return []
        assert isinstance(event, ReplyPosted)
        found = await u.posts.by_message(event.channel, event.parent_id)
        if found is None or found[1].community_id != community.id:
            return []
        post, schedule = found
        if (schedule.best_answer or schedule.digest) and event.message_id:
            text = event.text.strip()[:1000] or None
            reply = ThreadReply(community.id, post.id, event.message_id, member, event.at, text)
            await u.rituals.add_reply(reply)
        if not schedule.streaks:
            return []
        return await self._milestone(u, community, schedule, post, member, event)

    async def _milestone(
        self,
        u: UnitOfWork,
        community: Community,
        schedule: Schedule,
        post: Post,
        member: str,
        event: ReplyPosted,
    ) -> list[tuple[Community, Target, Spoken]]:
        posts = await u.rituals.channel_posts(community.id, schedule.channel)
        answered = (await u.rituals.answered(community.id, member)).get(schedule.channel, set())
        length = milestone(streak_at(posts, answered, post.id))
        if length is None or not await u.rituals.add_milestone(post.id, member, length, event.at):
            return []
        target = Target(schedule.channel, post.message_id or event.parent_id, post.thread_id)
        return [(community, target, (milestone_text(length),))]

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
