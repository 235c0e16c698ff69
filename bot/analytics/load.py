"""Loading the analytics history through the repository ports (any store, memory included).

On a SQL store, `load_history` uses the bulk queries of bot.storage.analytics_queries instead:
the same rows in a handful of queries rather than one per post.
"""

from __future__ import annotations

from typing import Any

from bot.analytics.history import (
    CommunityInfo,
    History,
    PostFact,
    PromptInfo,
    ResponseFact,
    link_next_posts,
)
from bot.core.domain import PostStatus
from bot.core.ports import UnitOfWorkFactory
from bot.learning.metric import AUDIENCE_WINDOW


async def load_history(uow: UnitOfWorkFactory) -> History:
    """Every sent post with its responses, the prompts and the communities."""
    sessions: Any = getattr(uow, "sessions", None)
    if sessions is not None:
        # Imported here so the analytics core stays free of SQLAlchemy for non-SQL stores.
        from bot.storage.analytics_queries import load_history_sql

        return await load_history_sql(sessions)
    return await load_history_via_ports(uow)


async def load_history_via_ports(uow: UnitOfWorkFactory) -> History:
    async with uow() as u:
        communities = {
            c.id: CommunityInfo(c.id, c.platform.value, c.external_id, c.name)
            for c in await u.communities.all()
        }
        schedules = {s.id: s for s in await u.schedules.all()}
        prompts = {
            p.id: PromptInfo(p.id, p.text, p.category)
            for p in await u.prompts.all(status=None, community_id=None, include_global=False)
        }
        posts: list[PostFact] = []
        for post in await u.posts.all():
            schedule = schedules.get(post.schedule_id)
            if post.status is not PostStatus.SENT or post.prompt_id is None or schedule is None:
                continue
            posted_at = post.posted_at or post.slot_at
            audience = post.audience
            if audience is None:
                audience = await u.activity.audience(
                    schedule.community_id, schedule.channel, posted_at - AUDIENCE_WINDOW
                )
            responses = tuple(
                ResponseFact(member, kind, at)
                for member, kind, _, at in await u.responses.for_post(post.id)
            )
            posts.append(
                PostFact(
                    post.id,
                    post.schedule_id,
                    schedule.community_id,
                    schedule.channel,
                    post.prompt_id,
                    posted_at,
                    None,
                    audience,
                    tuple(sorted(responses, key=lambda r: (r.at, r.member_key, r.kind))),
                )
            )
    return History(prompts, communities, link_next_posts(posts))
