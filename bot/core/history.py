"""The plain rows every statistic is computed from: sent posts with their responses.

Each store's history reader (`bot.core.ports.HistoryReader`) builds exactly these rows;
`bot.analytics` computes from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.core.domain import ResponseKind


@dataclass(frozen=True)
class PromptInfo:
    id: int
    text: str
    category: str


@dataclass(frozen=True)
class CommunityInfo:
    id: int
    platform: str
    external_id: str
    name: str


@dataclass(frozen=True)
class ResponseFact:
    member_key: str
    kind: ResponseKind
    at: datetime


@dataclass(frozen=True)
class PostFact:
    """One sent post. `audience` is the recorded outcome's audience, or (before the outcome
    is recorded) the channel's members active in the audience window before the post
    (`bot.learning.metric.AUDIENCE_WINDOW`)."""

    id: int
    schedule_id: int
    community_id: int
    channel: str
    prompt_id: int
    posted_at: datetime
    next_posted_at: datetime | None
    audience: int
    responses: tuple[ResponseFact, ...] = ()


@dataclass(frozen=True)
class History:
    prompts: Mapping[int, PromptInfo] = field(default_factory=dict)
    communities: Mapping[int, CommunityInfo] = field(default_factory=dict)
    posts: tuple[PostFact, ...] = ()

    def where(
        self,
        community_id: int | None = None,
        channel: str | None = None,
        since: datetime | None = None,
    ) -> tuple[PostFact, ...]:
        """The posts in a scope (None: any), oldest first."""
        return tuple(
            p
            for p in self.posts
            if (community_id is None or p.community_id == community_id)
            and (channel is None or p.channel == channel)
            and (since is None or p.posted_at >= since)
        )

    def within(self, community_id: int | None = None, since: datetime | None = None) -> History:
        """The part of this history that reports on one community (None: every community)
        from `since` on need: its posts at or after `since`, and other communities' posts
        from then of the prompts it posted (each prompt's all-communities rate). A report of
        any scope inside those bounds has the same figures from it as from the whole."""
        posts = [p for p in self.posts if since is None or p.posted_at >= since]
        if community_id is not None:
            own = {p.prompt_id for p in posts if p.community_id == community_id}
            posts = [p for p in posts if p.community_id == community_id or p.prompt_id in own]
        return replace(self, posts=tuple(posts))


def sorted_responses(responses: list[ResponseFact]) -> tuple[ResponseFact, ...]:
    """A post's responses in the order every store gives them: by time, member, kind."""
    return tuple(sorted(responses, key=lambda r: (r.at, r.member_key, r.kind)))


def link_next_posts(posts: list[PostFact]) -> tuple[PostFact, ...]:
    """Fill `next_posted_at` from the schedule's following post; sorts by time."""
    posts = sorted(posts, key=lambda p: (p.posted_at, p.id))
    following: dict[int, datetime] = {}
    linked: list[PostFact] = []
    for post in reversed(posts):
        linked.append(replace(post, next_posted_at=following.get(post.schedule_id)))
        following[post.schedule_id] = post.posted_at
    return tuple(reversed(linked))
