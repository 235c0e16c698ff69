"""One member's stored data in SQL, for `tigerbird privacy`: showing it and forgetting it."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import PlatformName
from bot.core.records import Forgotten, MemberData
from bot.storage.models import (
    SLACK_INSTALLATIONS,
    ActivityRow,
    CommunityRow,
    PostRow,
    PromptRow,
    ResponseRow,
    ScheduleRow,
)


def _suggested_by(platform: PlatformName, member_id: str) -> ColumnElement[bool]:
    """Prompts this member suggested: the raw id is kept (to tell them of approval)."""
    in_platform = select(CommunityRow.id).where(CommunityRow.platform == platform.value)
    return and_(PromptRow.suggested_by == member_id, PromptRow.community_id.in_(in_platform))


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class SqlMemberData:
    """Implements bot.core.ports.MemberDataRepository."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _managed_by(self, platform: PlatformName, member_id: str) -> list[CommunityRow]:
        """Communities listing the member as a manager (their raw id, to address DMs)."""
        rows = await self._s.scalars(
            select(CommunityRow)
            .where(CommunityRow.platform == platform.value)
            .order_by(CommunityRow.id)
        )
        return [c for c in rows if member_id in (c.manager_ids or [])]

    async def _slack_installations(self, member_id: str) -> list[dict[str, str]]:
        installs = SLACK_INSTALLATIONS.c
        installed = await self._s.execute(
            select(installs.team_id, installs.installed_at)
            .where(installs.user_id == member_id)
            .order_by(installs.id)
        )
        return [{"team_id": str(team), "installed_at": str(at)} for team, at in installed]

    async def show(self, member_key: str, platform: PlatformName, member_id: str) -> MemberData:
        managing = [
            {"community_id": str(c.id), "community": c.name}
            for c in await self._managed_by(platform, member_id)
        ]
        slack_installations: list[dict[str, str]] = []
        if platform is PlatformName.SLACK:
            slack_installations = await self._slack_installations(member_id)
        suggestions = await self._s.scalars(
            select(PromptRow).where(_suggested_by(platform, member_id)).order_by(PromptRow.id)
        )
        suggested = [
            {"prompt_id": str(p.id), "status": p.status, "text": p.text} for p in suggestions
        ]
        responses = await self._s.execute(
            select(ResponseRow, ScheduleRow.channel)
            .join(PostRow, PostRow.id == ResponseRow.post_id)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .where(ResponseRow.member_key == member_key)
            .order_by(ResponseRow.at, ResponseRow.id)
        )
        activity = await self._s.scalars(
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

    async def forget(self, member_key: str, platform: PlatformName, member_id: str) -> Forgotten:
        post_ids = list(
            await self._s.scalars(
                select(ResponseRow.post_id).where(ResponseRow.member_key == member_key).distinct()
            )
        )
        gone = await self._s.execute(
            delete(ResponseRow).where(ResponseRow.member_key == member_key)
        )
        seen = await self._s.execute(
            delete(ActivityRow).where(ActivityRow.member_key == member_key)
        )
        reset = 0
        if post_ids:
            result = await self._s.execute(
                update(PostRow)
                .where(PostRow.id.in_(post_ids), PostRow.outcome_at.is_not(None))
                .values(responders=None, audience=None, outcome_at=None)
            )
            reset = _count(result)
        unattributed = await self._s.execute(
            update(PromptRow).where(_suggested_by(platform, member_id)).values(suggested_by=None)
        )
        managed = await self._managed_by(platform, member_id)
        for community in managed:
            community.manager_ids = [m for m in community.manager_ids if m != member_id]
        await self._s.flush()
        return Forgotten(_count(gone), _count(seen), reset, _count(unattributed), len(managed))
