"""The SQL prompt repository (bot.core.ports.PromptRepository)."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.core.domain import Prompt, PromptDraft, PromptSource, PromptStatus
from bot.storage.mapping import prompt_from_row
from bot.storage.models import PromptRow
from bot.storage.types import utc_now


class SqlPrompts:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, prompt_id: int) -> Prompt | None:
        row = await self._s.get(PromptRow, prompt_id)
        return prompt_from_row(row) if row else None

    async def by_key(self, key: str) -> Prompt | None:
        row = await self._s.scalar(select(PromptRow).filter_by(key=key))
        return prompt_from_row(row) if row else None

    async def add(
        self,
        draft: PromptDraft,
        source: PromptSource,
        status: PromptStatus = PromptStatus.ACTIVE,
        community_id: int | None = None,
        suggested_by: str | None = None,
    ) -> Prompt:
        row = PromptRow(
            key=draft.key,
            text=draft.text,
            category=draft.category,
            tags=list(draft.tags),
            choices=[[c.emoji, c.label] for c in draft.choices],
            source=source.value,
            status=status.value,
            community_id=community_id,
            pack=draft.pack,
            suggested_by=suggested_by,
            created_at=utc_now(),
            variants=list(draft.variants),
        )
        self._s.add(row)
        await self._s.flush()
        return prompt_from_row(row)

    async def update(self, prompt: Prompt) -> None:
        await self._s.execute(
            update(PromptRow)
            .where(PromptRow.id == prompt.id)
            .values(
                text=prompt.text,
                category=prompt.category,
                tags=list(prompt.tags),
                choices=[[c.emoji, c.label] for c in prompt.choices],
                status=prompt.status.value,
                pack=prompt.pack,
                community_id=prompt.community_id,
                variants=list(prompt.variants),
            )
        )

    async def all(
        self,
        status: PromptStatus | None = PromptStatus.ACTIVE,
        community_id: int | None = None,
        include_global: bool = True,
    ) -> list[Prompt]:
        query = select(PromptRow).order_by(PromptRow.id)
        if status is not None:
            query = query.where(PromptRow.status == status.value)
        scopes: list[ColumnElement[bool]] = []
        if include_global:
            scopes.append(PromptRow.community_id.is_(None))
        if community_id is not None:
            scopes.append(PromptRow.community_id == community_id)
        if scopes:
            query = query.where(or_(*scopes))
        return [prompt_from_row(r) for r in await self._s.scalars(query)]

    async def change_status(
        self, prompt_id: int, community_id: int, expected: PromptStatus, new: PromptStatus
    ) -> bool:
        result = await self._s.execute(
            update(PromptRow)
            .where(
                PromptRow.id == prompt_id,
                PromptRow.community_id == community_id,
                PromptRow.status == expected.value,
            )
            .values(status=new.value)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
