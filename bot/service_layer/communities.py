"""Community use cases: find, ensure and update the workspaces and servers the bot serves."""

from __future__ import annotations

from bot.core.domain import Community, PlatformName
from bot.service_layer.base import ServiceBase


class CommunityUseCases(ServiceBase):
    """Communities (a Slack workspace, a Discord server, the console)."""

    async def community(self, platform: PlatformName, external_id: str) -> Community | None:
        async with self.uow() as u:
            return await u.communities.find(platform, external_id)

    async def ensure_community(
        self, platform: PlatformName, external_id: str, name: str = ""
    ) -> Community:
        async with self.uow() as u:
            community = await u.communities.ensure(platform, external_id, name)
            await u.commit()
        return community

    async def update_community(self, community: Community) -> None:
        async with self.uow() as u:
            await u.communities.update(community)
            await u.commit()
