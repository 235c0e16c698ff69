"""The in-memory ritual repository (see bot.testing.memory), answering as the SQL store does."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.domain import Post, PostStatus, Schedule
from bot.core.rituals import (
    BestAnswer,
    MonthlyResponder,
    RitualMember,
    ThreadReply,
    choices_row,
    reply_row,
)
from bot.testing.memory_state import KeptReply, MemoryState

REACTION_WINDOW = timedelta(hours=24)


def _best(kept: KeptReply) -> BestAnswer:
    r = kept.reply
    return BestAnswer(r.post_id, r.message_id, r.member_key, kept.reactions, r.at, r.text)


class MemoryRituals:
    """Implements bot.core.ports.RitualRepository."""

    def __init__(self, s: MemoryState) -> None:
        self._s = s

    def _schedule_of(self, post_id: int) -> Schedule | None:
        post = self._s.posts.get(post_id)
        return self._s.schedules.get(post.schedule_id) if post else None

    async def member(self, community_id: int, member_key: str) -> RitualMember | None:
        return self._s.ritual_members.get((community_id, member_key))

    async def set_member(self, member: RitualMember) -> None:
        kept = member if member.named else replace(member, platform_id=None)
        self._s.ritual_members[(member.community_id, member.member_key)] = kept

    async def members(
        self, community_id: int, member_keys: Collection[str]
    ) -> dict[str, RitualMember]:
        found = (self._s.ritual_members.get((community_id, k)) for k in member_keys)
        return {m.member_key: m for m in found if m is not None}

    async def opted_out(self, community_id: int) -> set[str]:
        return {
            k for (c, k), m in self._s.ritual_members.items() if c == community_id and m.opted_out
        }

    async def channel_posts(self, community_id: int, channel: str) -> list[int]:
        posts = [
            p
            for p in self._s.posts.values()
            if p.status is PostStatus.SENT
            and (s := self._s.schedules.get(p.schedule_id)) is not None
            and s.community_id == community_id
            and s.channel == channel
        ]
        return [p.id for p in sorted(posts, key=lambda p: (p.slot_at, p.id))]

    async def answered(self, community_id: int, member_key: str) -> dict[str, set[int]]:
        found: dict[str, set[int]] = {}
        for post_id, member, _, _ in self._s.responses:
            schedule = self._schedule_of(post_id)
            if member == member_key and schedule and schedule.community_id == community_id:
                found.setdefault(schedule.channel, set()).add(post_id)
        return found

    async def opted_out_among(self, members: Collection[tuple[int, str]]) -> set[tuple[int, str]]:
        return {
            pair
            for pair in members
            if (m := self._s.ritual_members.get(pair)) is not None and m.opted_out
        }

    async def posts_with_schedules(
        self, post_ids: Collection[int]
    ) -> dict[int, tuple[Post, Schedule]]:
        found = {}
        for post_id in post_ids:
            post = self._s.posts.get(post_id)
            schedule = self._s.schedules.get(post.schedule_id) if post else None
            if post is not None and schedule is not None:
                found[post_id] = (post, schedule)
        return found

    async def streak_facts(
        self, channels: Collection[tuple[int, str]], member_keys: Collection[str]
    ) -> tuple[dict[tuple[int, str], list[int]], dict[tuple[int, str, str], set[int]]]:
        posts = {}
        for cid, channel in set(channels):
            found = await self.channel_posts(cid, channel)
            if found:
                posts[(cid, channel)] = found
        answered: dict[tuple[int, str, str], set[int]] = {}
        for post_id, member, _, _ in self._s.responses:
            schedule = self._schedule_of(post_id)
            if schedule is None or member not in member_keys:
                continue
            place = (schedule.community_id, schedule.channel)
            if place in channels:
                answered.setdefault((*place, member), set()).add(post_id)
        return posts, answered

    async def add_milestones(
        self, reached: Collection[tuple[int, str, int, datetime]]
    ) -> set[tuple[int, str]]:
        new = set()
        for post_id, member, length, _ in reached:
            if (post_id, member) not in self._s.milestones:
                self._s.milestones[(post_id, member)] = length
                new.add((post_id, member))
        return new

    async def monthly(
        self, community_id: int, channel: str, start: datetime, end: datetime
    ) -> list[MonthlyResponder]:
        first: dict[str, datetime] = {}
        posts: dict[str, set[int]] = {}
        for (post_id, member, _, _), at in self._s.responses.items():
            schedule = self._schedule_of(post_id)
            if not schedule or (schedule.community_id, schedule.channel) != (community_id, channel):
                continue
            if at >= end:
                continue
            first[member] = min(at, first.get(member, at))
            if at >= start:
                posts.setdefault(member, set()).add(post_id)
        return [MonthlyResponder(m, len(ids), first[m]) for m, ids in posts.items()]

    async def add_replies(self, replies: Collection[ThreadReply]) -> None:
        for reply in replies:
            place = (reply.community_id, reply.message_id)
            self._s.thread_replies.setdefault(place, KeptReply(reply))

    async def kept_replies(self, messages: Collection[tuple[int, str]]) -> set[tuple[int, str]]:
        return {
            place
            for place in messages
            if (kept := self._s.thread_replies.get(place)) is not None and not kept.featured
        }

    async def react_reply(
        self, community_id: int, message_id: str, member_key: str, emoji: str, at: datetime
    ) -> bool:
        kept = self._s.thread_replies.get((community_id, message_id))
        if kept is None or kept.featured:
            return False
        self._s.reply_reactions.setdefault((community_id, message_id, member_key, emoji), at)
        return True

    async def unreact_reply(
        self, community_id: int, message_id: str, member_key: str, emoji: str
    ) -> None:
        self._s.reply_reactions.pop((community_id, message_id, member_key, emoji), None)

    def _drop_reactions(self, place: tuple[int, str]) -> int:
        keys = [k for k in self._s.reply_reactions if k[:2] == place]
        for key in keys:
            del self._s.reply_reactions[key]
        return len(keys)

    async def close_replies(self, post_id: int, excluded: Collection[str]) -> BestAnswer | None:
        replies = sorted(
            ((place, kept) for place, kept in self._s.thread_replies.items()
             if kept.reply.post_id == post_id),
            key=lambda item: item[1].reply.at,
        )  # fmt: skip
        featured = next((kept for _, kept in replies if kept.featured), None)
        if featured is None:
            best = 0
            for place, kept in replies:
                count = sum(
                    1
                    for key, at in self._s.reply_reactions.items()
                    if key[:2] == place and at <= kept.reply.at + REACTION_WINDOW
                )
                if count > best and kept.reply.member_key not in excluded:
                    featured, best = kept, count
            if featured is not None:
                featured.featured, featured.reactions = True, best
        for place, kept in replies:
            self._drop_reactions(place)
            if kept is not featured:
                del self._s.thread_replies[place]
        return _best(featured) if featured is not None else None

    async def best_answers(self, post_ids: Collection[int]) -> list[BestAnswer]:
        featured = [k for k in self._s.thread_replies.values() if k.featured]
        chosen = [k for k in featured if k.reply.post_id in set(post_ids)]
        return [_best(k) for k in sorted(chosen, key=lambda k: k.reply.at)]

    async def posts_with_open_replies(self, community_id: int, before: datetime) -> list[int]:
        found = set()
        for kept in self._s.thread_replies.values():
            post = self._s.posts.get(kept.reply.post_id)
            if kept.featured or kept.reply.community_id != community_id or post is None:
                continue
            if post.posted_at is not None and post.posted_at < before:
                found.add(post.id)
        return sorted(found)

    async def erase_texts(self, before: datetime) -> int:
        erased = 0
        for kept in self._s.thread_replies.values():
            if kept.featured and kept.reply.at < before and kept.reply.text is not None:
                kept.reply = replace(kept.reply, text=None)
                erased += 1
        return erased

    async def about(self, member_key: str) -> list[dict[str, str]]:
        rows = [
            choices_row(m)
            for _, m in sorted(self._s.ritual_members.items())
            if m.member_key == member_key
        ]
        rows += [
            {"kind": "milestone", "post_id": str(post_id), "streak": str(length)}
            for (post_id, member), length in self._s.milestones.items()
            if member == member_key
        ]
        rows += [
            reply_row(k.reply.post_id, k.featured, k.reply.text)
            for k in self._s.thread_replies.values()
            if k.reply.member_key == member_key
        ]
        for cid, message_id, member, emoji in self._s.reply_reactions:
            kept = self._s.thread_replies.get((cid, message_id))
            if member == member_key and kept is not None:
                post_id = str(kept.reply.post_id)
                rows.append({"kind": "reaction on a reply", "post_id": post_id, "emoji": emoji})
        return rows

    async def forget(self, member_key: str) -> int:
        gone = 0
        for place, kept in list(self._s.thread_replies.items()):
            if kept.reply.member_key == member_key:
                gone += self._drop_reactions(place) + 1
                del self._s.thread_replies[place]
        for key in [k for k in self._s.reply_reactions if k[2] == member_key]:
            del self._s.reply_reactions[key]
            gone += 1
        for table in (self._s.milestones, self._s.ritual_members):
            for place in [k for k in table if k[1] == member_key]:
                del table[place]
                gone += 1
        return gone
