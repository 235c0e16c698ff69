"""Loading the analytics history: through the store's history reader
(`bot.core.ports.HistoryReader`), which answers in a few bulk reads, or through the write-side
repository ports one post at a time (`load_history_via_ports`, the reference every store's
reader is checked against)."""

from __future__ import annotations

from datetime import datetime

from bot.core.domain import PostStatus
from bot.core.history import (
    CommunityInfo,
    History,
    PostFact,
    PromptInfo,
    ResponseFact,
    link_next_posts,
    sorted_responses,
)
from bot.core.ports import UnitOfWorkFactory
from bot.learning.metric import AUDIENCE_WINDOW


async def load_history(
    uow: UnitOfWorkFactory, community_id: int | None = None, since: datetime | None = None
) -> History:
    """Every sent post with its responses, the prompts and the communities; given a
    community or an instant, only what its reports need (`History.within`)."""
    async with uow() as u:
        return await u.history.load(community_id, since)


async def load_history_via_ports(
    uow: UnitOfWorkFactory, community_id: int | None = None, since: datetime | None = None
) -> History:
    """The same history through the repositories, with one query per post."""
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
            responses = [
                ResponseFact(member, kind, at)
                for member, kind, _, at in await u.responses.for_post(post.id)
            ]
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
                    sorted_responses(responses),
                )
            )
    return History(prompts, communities, link_next_posts(posts)).within(community_id, since)
