"""The SQL community repository (bot.core.ports.CommunityRepository)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Community, PlatformName
from bot.storage import bulk
from bot.storage.dialect import dialect_insert
from bot.storage.errors import RowVanished
from bot.storage.mapping import community_from_row
from bot.storage.models import CommunityRow
from bot.storage.types import utc_now


class SqlCommunities:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, community_id: int) -> Community | None:
        row = await self._s.get(CommunityRow, community_id)
        return community_from_row(row) if row else None

    async def find(self, platform: PlatformName, external_id: str) -> Community | None:
        row = await self._s.scalar(
            select(CommunityRow).filter_by(platform=platform.value, external_id=external_id)
        )
        return community_from_row(row) if row else None

    async def ensure(self, platform: PlatformName, external_id: str, name: str = "") -> Community:
        insert = dialect_insert(self._s)
        await self._s.execute(
            insert(CommunityRow)
            .values(
                platform=platform.value,
                external_id=external_id,
                name=name,
                manager_ids=[],
                manager_role_ids=[],
                created_at=utc_now(),
            )
            .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        )
        found = await self.find(platform, external_id)
        if found is None:
            raise RowVanished(f"community {platform.value}/{external_id}")
        return found

    async def update(self, community: Community) -> None:
        await self._s.execute(
            update(CommunityRow)
            .where(CommunityRow.id == community.id)
            .values(
                name=community.name,
                manager_ids=list(community.manager_ids),
                manager_role_ids=list(community.manager_role_ids),
                review_channel=community.review_channel,
            )
        )

    async def all(self) -> list[Community]:
        rows = await self._s.scalars(select(CommunityRow).order_by(CommunityRow.id))
        return [community_from_row(r) for r in rows]

    async def find_many(
        self, keys: Collection[tuple[PlatformName, str]]
    ) -> dict[tuple[PlatformName, str], Community]:
        return await bulk.find_communities(self._s, keys)
