"""The in-memory history reader and export reader (see bot.testing.memory): the same rows
the SQL store's bulk reads give, computed from the fake database's dicts."""

from __future__ import annotations

from datetime import datetime

from bot.core.domain import Post, PostStatus, Schedule
from bot.core.history import (
    CommunityInfo,
    History,
    PostFact,
    PromptInfo,
    ResponseFact,
    link_next_posts,
    sorted_responses,
)
from bot.core.records import post_export_row, response_export_row
from bot.learning.metric import AUDIENCE_WINDOW
from bot.testing.memory_state import MemoryState


class MemoryHistory:
    """Implements bot.core.ports.HistoryReader."""

    def __init__(self, s: MemoryState) -> None:
        self._s = s

    def _audience(self, post: Post, schedule: Schedule) -> int:
        if post.audience is not None:
            return post.audience
        since = (post.posted_at or post.slot_at) - AUDIENCE_WINDOW
        return sum(
            1
            for (community_id, channel, _), at in self._s.activity.items()
            if community_id == schedule.community_id and channel == schedule.channel and at >= since
        )

    def _responses(self, post_id: int) -> tuple[ResponseFact, ...]:
        return sorted_responses(
            [
                ResponseFact(member, kind, at)
                for (answered, member, kind, _), at in self._s.responses.items()
                if answered == post_id
            ]
        )

    async def load(self, community_id: int | None = None, since: datetime | None = None) -> History:
        communities = {
            c.id: CommunityInfo(c.id, c.platform.value, c.external_id, c.name)
            for c in self._s.communities.values()
        }
        prompts = {p.id: PromptInfo(p.id, p.text, p.category) for p in self._s.prompts.values()}
        posts = []
        for post in self._s.posts.values():
            schedule = self._s.schedules.get(post.schedule_id)
            if post.status is not PostStatus.SENT or post.prompt_id is None or schedule is None:
                continue
            posts.append(
                PostFact(
                    post.id,
                    post.schedule_id,
                    schedule.community_id,
                    schedule.channel,
                    post.prompt_id,
                    post.posted_at or post.slot_at,
                    None,
                    self._audience(post, schedule),
                    self._responses(post.id),
                )
            )
        whole = History(prompts, communities, link_next_posts(posts))
        return whole.within(community_id, since)


class MemoryExports:
    """Implements bot.core.ports.ExportReader."""

    def __init__(self, s: MemoryState) -> None:
        self._s = s

    def _place(self, post_id: int) -> tuple[str, str] | None:
        """The (community external id, channel) of a post, if its schedule and community exist."""
        post = self._s.posts.get(post_id)
        schedule = self._s.schedules.get(post.schedule_id) if post else None
        community = self._s.communities.get(schedule.community_id) if schedule else None
        if schedule is None or community is None:
            return None
        return community.external_id, schedule.channel

    async def posts(self) -> list[dict[str, str]]:
        rows = []
        for post in sorted(self._s.posts.values(), key=lambda p: (p.slot_at, p.id)):
            place = self._place(post.id)
            if place is None:
                continue
            prompt = self._s.prompts.get(post.prompt_id) if post.prompt_id is not None else None
            category, text = (prompt.category, prompt.text) if prompt else (None, None)
            rows.append(post_export_row(post, *place, category, text))
        return rows

    async def responses(self) -> list[dict[str, str]]:
        rows = []
        # Stored in arrival order, as the SQL ids are: a stable sort by time keeps it for ties.
        for (post_id, member, kind, emoji), at in sorted(
            self._s.responses.items(), key=lambda item: item[1]
        ):
            place = self._place(post_id)
            if place is None:
                continue
            rows.append(response_export_row((post_id, *place, member, kind, emoji, at)))
        return rows
