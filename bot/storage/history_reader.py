"""The analytics history in SQL: every sent post with its responses and audience, in five
queries (bot.core.ports.HistoryReader)."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import PostStatus, ResponseKind
from bot.core.history import (
    CommunityInfo,
    History,
    PostFact,
    PromptInfo,
    ResponseFact,
    link_next_posts,
    sorted_responses,
)
from bot.learning.metric import AUDIENCE_WINDOW
from bot.storage.models import (
    ActivityRow,
    CommunityRow,
    PostRow,
    PromptRow,
    ResponseRow,
    ScheduleRow,
)


class SqlHistory:
    """Implements bot.core.ports.HistoryReader."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _last_seen(self) -> dict[tuple[int, str], list[datetime]]:
        """Sorted last-seen times per (community, channel), for audience counts by bisection."""
        seen: dict[tuple[int, str], list[datetime]] = defaultdict(list)
        rows = await self._s.execute(
            select(ActivityRow.community_id, ActivityRow.channel, ActivityRow.last_seen)
        )
        for community_id, channel, last_seen in rows:
            seen[(community_id, channel)].append(last_seen)
        for times in seen.values():
            times.sort()
        return seen

    async def _responses(self) -> dict[int, list[ResponseFact]]:
        found: dict[int, list[ResponseFact]] = defaultdict(list)
        query = select(
            ResponseRow.post_id, ResponseRow.member_key, ResponseRow.kind, ResponseRow.at
        )
        for post_id, member, kind, at in await self._s.execute(query):
            found[post_id].append(ResponseFact(member, ResponseKind(kind), at))
        return found

    async def load(self) -> History:
        communities = {
            r.id: CommunityInfo(r.id, r.platform, r.external_id, r.name)
            for r in await self._s.scalars(select(CommunityRow))
        }
        prompts = {
            r.id: PromptInfo(r.id, r.text, r.category)
            for r in await self._s.scalars(select(PromptRow))
        }
        seen = await self._last_seen()
        responses = await self._responses()
        query = (
            select(PostRow, PostRow.prompt_id, ScheduleRow.community_id, ScheduleRow.channel)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(PostRow.status == PostStatus.SENT.value, PostRow.prompt_id.is_not(None))
        )
        posts = []
        for row, prompt_id, community_id, channel in await self._s.execute(query):
            if prompt_id is None:  # excluded by the query; this tells the type checker
                continue
            posted_at = row.posted_at or row.slot_at
            audience = row.audience
            if audience is None:
                times = seen.get((community_id, channel), [])
                audience = len(times) - bisect_left(times, posted_at - AUDIENCE_WINDOW)
            posts.append(
                PostFact(
                    row.id,
                    row.schedule_id,
                    community_id,
                    channel,
                    prompt_id,
                    posted_at,
                    None,
                    audience,
                    sorted_responses(responses.get(row.id, [])),
                )
            )
        return History(prompts, communities, link_next_posts(posts))
