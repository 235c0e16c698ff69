"""The raw rows of `tigerbird export` in SQL: every post and every response, CSV-ready
(bot.core.ports.ExportReader)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.records import post_export_row, response_export_row
from bot.storage.models import CommunityRow, PostRow, PromptRow, ResponseRow, ScheduleRow


class SqlExports:
    """Implements bot.core.ports.ExportReader."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def posts(self) -> list[dict[str, str]]:
        query = (
            select(PostRow, ScheduleRow.channel, CommunityRow.external_id, PromptRow)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .join(CommunityRow, CommunityRow.id == ScheduleRow.community_id)
            .outerjoin(PromptRow, PromptRow.id == PostRow.prompt_id)
            .order_by(PostRow.slot_at, PostRow.id)
        )
        rows = []
        for post, channel, community, prompt in await self._s.execute(query):
            category, text = (prompt.category, prompt.text) if prompt else (None, None)
            rows.append(post_export_row(post, community, channel, category, text))
        return rows

    async def responses(self) -> list[dict[str, str]]:
        query = (
            select(ResponseRow, ScheduleRow.channel, CommunityRow.external_id)
            .join(PostRow, PostRow.id == ResponseRow.post_id)
            .join(ScheduleRow, ScheduleRow.id == PostRow.schedule_id)
            .join(CommunityRow, CommunityRow.id == ScheduleRow.community_id)
            .order_by(ResponseRow.at, ResponseRow.id)
        )
        rows = []
        for r, channel, community in await self._s.execute(query):
            values = (r.post_id, community, channel, r.member_key, r.kind, r.emoji, r.at)
            rows.append(response_export_row(values))
        return rows
