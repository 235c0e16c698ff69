"""Member rituals on the posting path: with the first post of a month, the channel's regulars
board for the month before; under a prompt, the previous post's best answer; for the weekly
digest, the week's best answers. Each is said once (claimed in the state table)."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.domain import Community, Post, Schedule, Target
from bot.core.ports import UnitOfWork
from bot.core.rituals import BestAnswer, MemberName, Spoken
from bot.engagement.regulars import board
from bot.service_layer.rituals import RitualUseCases

log = logging.getLogger(__name__)
ANSWER_WINDOW = timedelta(hours=24)
# A featured reply's text is kept this long after it was written (next day's quote, the
# weekly digest), then erased; the reply's pseudonymous key and reaction count stay.
TEXT_KEPT = timedelta(days=8)


def month_bounds(local: datetime) -> tuple[datetime, datetime, str]:
    """The month before the one `local` falls in: its start and end in UTC and its name."""
    this_month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    previous = (this_month - timedelta(days=1)).replace(day=1)
    return previous.astimezone(UTC), this_month.astimezone(UTC), f"{previous:%B %Y}"


def quote(best: BestAnswer, credit: str | None) -> Spoken:
    """The line under a prompt: the previous prompt's best answer, its author only if named."""
    text = " ".join((best.text or "").split())
    shown = text if len(text) <= 300 else text[:299] + "…"
    parts: list[str | MemberName] = [f"💬 Best answer to the last question ({best.reactions} "]
    parts.append(f"reaction{'s' if best.reactions != 1 else ''}): “{shown}”")
    if credit:
        parts += [" — ", MemberName(credit)]
    return tuple(parts)


class RitualPostUseCases(RitualUseCases):
    """What follows a sent post, and the digest's best answers."""

    async def after_post(self, post: Post, schedule: Schedule, community: Community) -> None:
        """Run once a post is sent: close best answers whose window ended, post the regulars
        board with a month's first post and the previous best answer under the prompt. A
        failure is logged, never raised: the post itself stands."""
        if not (schedule.regulars or schedule.best_answer or schedule.digest):
            return  # nothing follows: no extra work on the fan-out path
        try:
            async with self.uow() as u:
                posts = await u.rituals.channel_posts(community.id, schedule.channel)
            previous = posts[posts.index(post.id) - 1] if post.id in posts[1:] else None
            # The previous post's window ends with this post, even if a little short of 24 h.
            await self.close_best_answers(community.id, previous)
            if post.message_id is None:
                return
            target = Target(schedule.channel, post.message_id, post.thread_id)
            if schedule.regulars and previous is not None:
                await self._regulars(post, previous, schedule, community, target)
            if schedule.best_answer and previous is not None:
                await self._best_answer(post, previous, community, target)
        except Exception:
            log.exception("rituals after post %s failed", post.marker)

    async def close_best_answers(self, community_id: int, also: int | None = None) -> None:
        """Choose the best answer of every post whose 24 hours are over, and of post `also`
        (the other replies and every reply reaction are forgotten); erase the text of old
        featured replies."""
        now = self.clock.now()
        async with self.uow() as u:
            excluded = await u.rituals.opted_out(community_id)
            ended = await u.rituals.posts_with_open_replies(community_id, now - ANSWER_WINDOW)
            for post_id in sorted({*ended, *([also] if also is not None else [])}):
                await u.rituals.close_replies(post_id, excluded)
            await u.rituals.erase_texts(now - TEXT_KEPT)
            await u.commit()

    async def _claim(self, u: UnitOfWork, key: str) -> bool:
        token = secrets.token_hex(8)
        return await u.state.put_if_absent(key, token) == token

    async def _regulars(
        self, post: Post, previous_id: int, schedule: Schedule, community: Community, target: Target
    ) -> None:
        local = post.slot_at.astimezone(ZoneInfo(schedule.spec.timezone))
        start, end, name = month_bounds(local)
        async with self.uow() as u:
            previous = await u.posts.get(previous_id)
            if previous is None or previous.slot_at >= end:
                return  # not the month's first post
            if not await self._claim(u, f"regulars:{community.id}:{schedule.channel}:{name}"):
                return
            responders = await u.rituals.monthly(community.id, schedule.channel, start, end)
            choices = await u.rituals.members(community.id, [r.member_key for r in responders])
            await u.commit()
        parts = board(name, start, responders, choices)
        if parts is not None:
            await self._say(community, target, parts)

    async def _best_answer(
        self, post: Post, previous_id: int, community: Community, target: Target
    ) -> None:
        async with self.uow() as u:
            found = await u.rituals.best_answers([previous_id])
            if not found or not found[0].text:
                return
            best = found[0]
            author = await u.rituals.member(community.id, best.member_key)
            if author is not None and author.opted_out:
                return
            if not await self._claim(u, f"best-answer:{post.id}"):
                return
            await u.commit()
        credit = author.platform_id if author is not None and author.named else None
        await self._say(community, target, quote(best, credit))

    async def best_answers_between(
        self, schedule: Schedule, start: datetime, end: datetime
    ) -> list[BestAnswer]:
        """The featured replies to the channel's posts sent in [start, end), most reacted
        first (the weekly digest's), after closing every window that has ended."""
        await self.close_best_answers(schedule.community_id)
        async with self.uow() as u:
            ids = [
                p.id
                for s in await u.schedules.for_channel(schedule.community_id, schedule.channel)
                for p in await u.posts.all(s.id)
                if p.posted_at is not None and start <= p.posted_at < end
            ]
            found = await u.rituals.best_answers(ids)
            excluded = await u.rituals.opted_out(schedule.community_id)
        return sorted(
            (b for b in found if b.member_key not in excluded), key=lambda b: -b.reactions
        )
