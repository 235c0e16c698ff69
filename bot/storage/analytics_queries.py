"""Bulk SQL for analytics and privacy: the stats history in a few queries, one member's data,
forgetting a member, and CSV-ready exports of posts and responses."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.analytics.history import (
    CommunityInfo,
    History,
    PostFact,
    PromptInfo,
    ResponseFact,
    link_next_posts,
)
from bot.core.domain import PostStatus, ResponseKind
from bot.learning.metric import AUDIENCE_WINDOW
from bot.storage.models import (
    SLACK_INSTALLATIONS,
    ActivityRow,
    CommunityRow,
    PostRow,
    PromptRow,
    ResponseRow,
    ScheduleRow,
)

Sessions = async_sessionmaker[AsyncSession]


async def _last_seen(session: AsyncSession) -> dict[tuple[int, str], list[datetime]]:
    """Sorted last-seen times per (community, channel), for audience counts by bisection."""
    seen: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    rows = await session.execute(
        select(ActivityRow.community_id, ActivityRow.channel, ActivityRow.last_seen)
    )
    for community_id, channel, last_seen in rows:
        seen[(community_id, channel)].append(last_seen)
    for times in seen.values():
        times.sort()
    return seen


async def _responses(session: AsyncSession) -> dict[int, list[ResponseFact]]:
    found: dict[int, list[ResponseFact]] = defaultdict(list)
    query = select(ResponseRow.post_id, ResponseRow.member_key, ResponseRow.kind, ResponseRow.at)
    for post_id, member, kind, at in await session.execute(query):
        found[post_id].append(ResponseFact(member, ResponseKind(kind), at))
    return found


async def load_history_sql(sessions: Sessions) -> History:
    """The same rows as bot.analytics.load.load_history_via_ports, in five queries."""
    async with sessions() as session:
        communities = {
            r.id: CommunityInfo(r.id, r.platform, r.external_id, r.name)
            for r in await session.scalars(select(CommunityRow))
        }
        prompts = {
            r.id: PromptInfo(r.id, r.text, r.category)
            for r in await session.scalars(select(PromptRow))
        }
        seen = await _last_seen(session)
        responses = await _responses(session)
        query = (
            select(PostRow, ScheduleRow.community_id, ScheduleRow.channel)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(PostRow.status == PostStatus.SENT.value, PostRow.prompt_id.is_not(None))
        )
        posts = []
        for row, community_id, channel in await session.execute(query):
            posted_at = row.posted_at or row.slot_at
            audience = row.audience
            if audience is None:
                times = seen.get((community_id, channel), [])
                audience = len(times) - bisect_left(times, posted_at - AUDIENCE_WINDOW)
            mine = sorted(responses.get(row.id, []), key=lambda r: (r.at, r.member_key, r.kind))
            assert row.prompt_id is not None
            posts.append(
                PostFact(
                    row.id,
                    row.schedule_id,
                    community_id,
                    channel,
                    row.prompt_id,
                    posted_at,
                    None,
                    audience,
                    tuple(mine),
                )
            )
    return History(prompts, communities, link_next_posts(posts))


@dataclass(frozen=True)
class MemberData:
    """Everything stored about one pseudonymous member."""

    member_key: str
    responses: list[dict[str, str]]
    activity: list[dict[str, str]]
    suggestions: list[dict[str, str]]
    managing: list[dict[str, str]] = field(default_factory=list)
    slack_installations: list[dict[str, str]] = field(default_factory=list)


def _suggested_by(platform: str, member_id: str) -> ColumnElement[bool]:
    """Prompts this member suggested: the raw id is kept (to tell them of approval)."""
    in_platform = select(CommunityRow.id).where(CommunityRow.platform == platform)
    return and_(PromptRow.suggested_by == member_id, PromptRow.community_id.in_(in_platform))


async def _managed_by(session: AsyncSession, platform: str, member_id: str) -> list[CommunityRow]:
    """Communities listing the member as a manager (their raw id, to address DMs)."""
    rows = await session.scalars(
        select(CommunityRow).where(CommunityRow.platform == platform).order_by(CommunityRow.id)
    )
    return [c for c in rows if member_id in (c.manager_ids or [])]


async def member_data(
    sessions: Sessions, member_key: str, platform: str, member_id: str
) -> MemberData:
    """The member's responses, activity, suggestions, manager listings and Slack
    installations, as printable strings."""
    async with sessions() as session:
        managing = [
            {"community_id": str(c.id), "community": c.name}
            for c in await _managed_by(session, platform, member_id)
        ]
        slack_installations: list[dict[str, str]] = []
        if platform == "slack":
            installs = SLACK_INSTALLATIONS.c
            installed = await session.execute(
                select(installs.team_id, installs.installed_at)
                .where(installs.user_id == member_id)
                .order_by(installs.id)
            )
            slack_installations = [
                {"team_id": str(team), "installed_at": str(at)} for team, at in installed
            ]
        suggestions = await session.scalars(
            select(PromptRow).where(_suggested_by(platform, member_id)).order_by(PromptRow.id)
        )
        suggested = [
            {"prompt_id": str(p.id), "status": p.status, "text": p.text} for p in suggestions
        ]
        responses = await session.execute(
            select(ResponseRow, ScheduleRow.channel)
            .join(PostRow, PostRow.id == ResponseRow.post_id)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(ResponseRow.member_key == member_key)
            .order_by(ResponseRow.at, ResponseRow.id)
        )
        activity = await session.scalars(
            select(ActivityRow).where(ActivityRow.member_key == member_key).order_by(ActivityRow.id)
        )
        return MemberData(
            member_key,
            [
                {
                    "post_id": str(r.post_id),
                    "channel": channel,
                    "kind": r.kind,
                    "emoji": r.emoji,
                    "at": r.at.isoformat(),
                }
                for r, channel in responses
            ],
            [
                {
                    "community_id": str(a.community_id),
                    "channel": a.channel,
                    "last_seen": a.last_seen.isoformat(),
                }
                for a in activity
            ],
            suggested,
            managing,
            slack_installations,
        )


@dataclass(frozen=True)
class Forgotten:
    responses: int
    activity: int
    posts_reset: int
    suggestions_unattributed: int
    manager_listings: int = 0


async def forget_member(
    sessions: Sessions, member_key: str, platform: str, member_id: str
) -> Forgotten:
    """Delete a member's responses and activity in one transaction; the posts they answered
    lose their recorded outcome so that the learning loop records it again without them,
    their suggestions stay in the library without their id, and they are no longer listed as
    a manager anywhere."""
    async with sessions() as session, session.begin():
        post_ids = list(
            await session.scalars(
                select(ResponseRow.post_id).where(ResponseRow.member_key == member_key).distinct()
            )
        )
        gone = await session.execute(
            delete(ResponseRow).where(ResponseRow.member_key == member_key)
        )
        seen = await session.execute(
            delete(ActivityRow).where(ActivityRow.member_key == member_key)
        )
        reset = 0
        if post_ids:
            result = await session.execute(
                update(PostRow)
                .where(PostRow.id.in_(post_ids), PostRow.outcome_at.is_not(None))
                .values(responders=None, audience=None, outcome_at=None)
            )
            reset = _count(result)
        unattributed = await session.execute(
            update(PromptRow).where(_suggested_by(platform, member_id)).values(suggested_by=None)
        )
        managed = await _managed_by(session, platform, member_id)
        for community in managed:
            community.manager_ids = [m for m in community.manager_ids if m != member_id]
    return Forgotten(_count(gone), _count(seen), reset, _count(unattributed), len(managed))


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime) else str(value)


POST_COLUMNS = (
    "post_id",
    "community",
    "channel",
    "prompt_id",
    "category",
    "prompt",
    "slot_at",
    "posted_at",
    "status",
    "message_id",
    "responders",
    "audience",
    "outcome_at",
)
RESPONSE_COLUMNS = ("post_id", "community", "channel", "member_key", "kind", "emoji", "at")


async def export_posts(sessions: Sessions) -> list[dict[str, str]]:
    """Every post with its channel and prompt, oldest first (CSV-ready strings)."""
    query = (
        select(PostRow, ScheduleRow.channel, CommunityRow.external_id, PromptRow)
        .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
        .join(CommunityRow, CommunityRow.id == ScheduleRow.community_id)
        .outerjoin(PromptRow, PromptRow.id == PostRow.prompt_id)
        .order_by(PostRow.slot_at, PostRow.id)
    )
    async with sessions() as session:
        rows = []
        for post, channel, community, prompt in await session.execute(query):
            values = (
                post.id,
                community,
                channel,
                post.prompt_id,
                prompt.category if prompt else None,
                prompt.text if prompt else None,
                post.slot_at,
                post.posted_at,
                post.status,
                post.message_id,
                post.responders,
                post.audience,
                post.outcome_at,
            )
            rows.append(dict(zip(POST_COLUMNS, map(_text, values), strict=True)))
        return rows


async def export_responses(sessions: Sessions) -> list[dict[str, str]]:
    """Every response (members by their pseudonymous key only), oldest first."""
    query = (
        select(ResponseRow, ScheduleRow.channel, CommunityRow.external_id)
        .join(PostRow, PostRow.id == ResponseRow.post_id)
        .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
        .join(CommunityRow, CommunityRow.id == ScheduleRow.community_id)
        .order_by(ResponseRow.at, ResponseRow.id)
    )
    async with sessions() as session:
        return [
            dict(
                zip(
                    RESPONSE_COLUMNS,
                    map(
                        _text, (r.post_id, community, channel, r.member_key, r.kind, r.emoji, r.at)
                    ),
                    strict=True,
                )
            )
            for r, channel, community in await session.execute(query)
        ]
