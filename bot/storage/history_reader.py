"""The analytics history in SQL (bot.core.ports.HistoryReader): every sent post with its
responses and audience in a few queries of plain columns, or only the part one community's
report needs (`History.within`), so that a community's analytics page reads its own posts and
the other communities' posts of its prompts, not the whole database."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from bot.core.domain import PostStatus, ResponseKind
from bot.core.history import (
    CommunityInfo,
    History,
    PostFact,
    PromptInfo,
    ResponseFact,
    sorted_responses,
)
from bot.learning.metric import AUDIENCE_WINDOW
from bot.storage.bulk import chunks
from bot.storage.models import (
    ActivityRow,
    CommunityRow,
    PostRow,
    PromptRow,
    ResponseRow,
    ScheduleRow,
)
from bot.storage.types import UTCDateTime

Seen = dict[tuple[int, str], list[datetime]]
KINDS = {kind.value: kind for kind in ResponseKind}


def _sent(posts: Any, since: datetime | None) -> ColumnElement[bool]:
    """Sent posts with a prompt (of the `posts` table or an alias), from `since` on."""
    clause = and_(posts.status == PostStatus.SENT.value, posts.prompt_id.is_not(None))
    if since is not None:
        clause = and_(clause, func.coalesce(posts.posted_at, posts.slot_at) >= since)
    return clause


def _own_prompts(community_id: int, since: datetime | None) -> Select[int | None]:
    """The prompts the community posted from `since` on."""
    own_posts, own_schedules = aliased(PostRow), aliased(ScheduleRow)
    return (
        select(own_posts.prompt_id)
        .join(own_schedules, own_schedules.id == own_posts.schedule_id)
        .where(own_schedules.community_id == community_id, _sent(own_posts, since))
    )


class SqlHistory:
    """Implements bot.core.ports.HistoryReader."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _connection(self) -> AsyncConnection:
        # Plain rows on the session's connection, without the ORM's result machinery (a
        # fifth of the CPU of reading a community's 25,000 posts and 60,000 responses).
        return await self._s.connection()

    async def _last_seen(self, communities: set[int]) -> Seen:
        """Sorted last-seen times per (community, channel), for audience counts by bisection."""
        seen: Seen = defaultdict(list)
        for chunk in chunks(sorted(communities)):
            rows = await (await self._connection()).execute(
                select(ActivityRow.community_id, ActivityRow.channel, ActivityRow.last_seen).where(
                    ActivityRow.community_id.in_(chunk)
                )
            )
            for community_id, channel, last_seen in rows:
                seen[(community_id, channel)].append(last_seen)
        for times in seen.values():
            times.sort()
        return seen

    async def _responses(
        self, since: datetime | None, post_ids: list[int] | None
    ) -> dict[int, list[ResponseFact]]:
        """The responses to the posts with these ids (None: to every sent post from `since`)."""
        found: dict[int, list[ResponseFact]] = defaultdict(list)
        columns = (ResponseRow.post_id, ResponseRow.member_key, ResponseRow.kind, ResponseRow.at)
        if post_ids is None:
            everything = (
                select(*columns)
                .join(PostRow, PostRow.id == ResponseRow.post_id)
                .where(_sent(PostRow, since))
            )
            queries = [everything]
        else:  # by the responses' post_id index, whatever the planner thinks of a join
            queries = [select(*columns).where(ResponseRow.post_id.in_(c)) for c in chunks(post_ids)]
        for query in queries:
            for post_id, member, kind, at in await (await self._connection()).execute(query):
                found[post_id].append(ResponseFact(member, KINDS[kind], at))
        return found

    async def _posts(
        self, community_id: int | None, since: datetime | None
    ) -> list[tuple[Any, ...]]:
        """(id, schedule, community, channel, prompt, posted, audience, next posted) rows. The
        next post is the schedule's following sent post (by time, then id), as
        `bot.core.history.link_next_posts` finds it, taken over all of the schedule's posts
        from `since` on before the scope keeps only some of them."""
        posted = func.coalesce(PostRow.posted_at, PostRow.slot_at)
        following = func.lead(posted, type_=UTCDateTime()).over(
            partition_by=PostRow.schedule_id, order_by=(posted, PostRow.id)
        )
        linked = (
            select(
                PostRow.id, PostRow.schedule_id, ScheduleRow.community_id, ScheduleRow.channel,
                PostRow.prompt_id, posted.label("posted"), PostRow.audience,
                following.label("following"),
            )
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(_sent(PostRow, since))
            .subquery()
        )  # fmt: skip
        query = select(linked)
        if community_id is not None:
            own = _own_prompts(community_id, since)
            query = query.where(
                or_(linked.c.community_id == community_id, linked.c.prompt_id.in_(own))
            )
        return [tuple(row) for row in await (await self._connection()).execute(query)]

    async def load(self, community_id: int | None = None, since: datetime | None = None) -> History:
        connection = await self._connection()
        columns = (
            CommunityRow.id,
            CommunityRow.platform,
            CommunityRow.external_id,
            CommunityRow.name,
        )
        communities = {
            c: CommunityInfo(c, platform, external_id, name)
            for c, platform, external_id, name in await connection.execute(select(*columns))
        }
        prompts = {
            p: PromptInfo(p, text, category)
            for p, text, category in await connection.execute(
                select(PromptRow.id, PromptRow.text, PromptRow.category)
            )
        }
        rows = await self._posts(community_id, since)
        ids = None if community_id is None else sorted(r[0] for r in rows)
        responses = await self._responses(since, ids)
        seen = await self._last_seen({r[2] for r in rows if r[6] is None})
        posts = []
        for post_id, schedule_id, community, channel, prompt_id, posted, audience, nxt in rows:
            if audience is None:
                times = seen.get((community, channel), [])
                audience = len(times) - bisect_left(times, posted - AUDIENCE_WINDOW)
            facts = sorted_responses(responses.get(post_id, []))
            posts.append(
                PostFact(
                    post_id, schedule_id, community, channel, prompt_id, posted, nxt, audience,
                    facts,
                )
            )  # fmt: skip
        posts.sort(key=lambda p: (p.posted_at, p.id))
        return History(prompts, communities, tuple(posts))
