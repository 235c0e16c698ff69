"""Ports of the member rituals: what the store keeps for them, and saying something in a
post's thread."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.core.domain import Post, Schedule, Target
from bot.core.rituals import BestAnswer, MonthlyResponder, RitualMember, Spoken, ThreadReply


class RitualRepository(Protocol):
    """Streak milestones, members' ritual choices, monthly answer counts and thread replies;
    every read is within one community."""

    async def member(self, community_id: int, member_key: str) -> RitualMember | None: ...

    async def set_member(self, member: RitualMember) -> None:
        """Store the member's choices (insert or replace)."""
        ...

    async def members(
        self, community_id: int, member_keys: Collection[str]
    ) -> dict[str, RitualMember]:
        """The stored choices of these members (members without any are absent)."""
        ...

    async def opted_out(self, community_id: int) -> set[str]:
        """The keys of the community's members who opted out of rituals."""
        ...

    async def channel_posts(self, community_id: int, channel: str) -> list[int]:
        """The ids of the channel's sent posts, oldest slot first."""
        ...

    async def answered(self, community_id: int, member_key: str) -> dict[str, set[int]]:
        """The posts the member answered (reply or reaction), by channel."""
        ...

    async def opted_out_among(self, members: Collection[tuple[int, str]]) -> set[tuple[int, str]]:
        """Those (community, member key) pairs whose member opted out, in one query."""
        ...

    async def posts_with_schedules(
        self, post_ids: Collection[int]
    ) -> dict[int, tuple[Post, Schedule]]:
        """These posts with their schedules, in one query."""
        ...

    async def streak_facts(
        self, channels: Collection[tuple[int, str]], member_keys: Collection[str]
    ) -> tuple[dict[tuple[int, str], list[int]], dict[tuple[int, str, str], set[int]]]:
        """For streaks, in two queries: each (community, channel)'s sent post ids, oldest slot
        first; and the posts each of these members answered there, by (community, channel,
        member key)."""
        ...

    async def add_milestones(
        self, reached: Collection[tuple[int, str, int, datetime]]
    ) -> set[tuple[int, str]]:
        """Record (post, member key, length, when) streak milestones; the (post, member) pairs
        that were new (an event delivered twice is acknowledged once)."""
        ...

    async def monthly(
        self, community_id: int, channel: str, start: datetime, end: datetime
    ) -> list[MonthlyResponder]:
        """Members who answered a post of the channel in [start, end), with how many distinct
        posts, and when each first answered in the channel at all."""
        ...

    async def add_replies(self, replies: Collection[ThreadReply]) -> None:
        """Keep thread replies (once per message id; a repeat changes nothing), in one statement."""
        ...

    async def kept_replies(self, messages: Collection[tuple[int, str]]) -> set[tuple[int, str]]:
        """Those (community, message id) pairs that are replies kept open, in one query."""
        ...

    async def react_reply(
        self, community_id: int, message_id: str, member_key: str, emoji: str, at: datetime
    ) -> bool:
        """A reaction on a kept reply (idempotent); False when no such reply is kept."""
        ...

    async def unreact_reply(
        self, community_id: int, message_id: str, member_key: str, emoji: str
    ) -> None: ...

    async def close_replies(self, post_id: int, excluded: Collection[str]) -> BestAnswer | None:
        """Choose the post's best answer: the kept reply with the most reactions made within
        24 hours of it (earliest reply wins a tie; replies by `excluded` members never win);
        forget every other reply of the post and the reactions. None if no reply was reacted to."""
        ...

    async def best_answers(self, post_ids: Collection[int]) -> list[BestAnswer]:
        """The featured replies of these posts."""
        ...

    async def posts_with_open_replies(self, community_id: int, before: datetime) -> list[int]:
        """Posts posted before `before` that still keep unfeatured replies."""
        ...

    async def erase_texts(self, before: datetime) -> int:
        """Drop the text of featured replies written before `before`; how many were erased."""
        ...

    async def about(self, member_key: str) -> list[dict[str, str]]:
        """Everything kept for rituals about the member, as printable rows (`privacy export`):
        their choices per community, milestones and kept replies."""
        ...

    async def forget(self, member_key: str) -> int:
        """Remove everything kept for rituals about the member (choices, milestones, replies,
        reactions on replies); how many rows went."""
        ...


@runtime_checkable
class ThreadMessages(Protocol):
    """A platform that can say something in a post's thread (acknowledgements, the regulars
    board, the best answer)."""

    async def say_in_thread(self, community: str, target: Target, parts: Spoken) -> None:
        """Post the parts as one message in the target's thread (or as a reply to it): text
        parts escaped (no link, no mention works), names rendered without pinging anyone."""
        ...
