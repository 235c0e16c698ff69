"""Community use cases: find, ensure and update the workspaces and servers the bot serves, the
authorization gate within one, and word to its managers."""

from __future__ import annotations

from collections.abc import Collection

from bot.core.authz import Access
from bot.core.domain import Community, PlatformName
from bot.core.ports import MemberMessages
from bot.service_layer.audit_trail import AuditTrail
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

    async def all_communities(self) -> list[Community]:
        async with self.uow() as u:
            return await u.communities.all()

    def access(self, global_managers: Collection[str] = ()) -> Access:
        """The one authorization path (bot.core.authz) over this service's storage: chat and
        buttons load objects through it, within the caller's community."""
        return Access(self.uow, global_managers)

    def audit_trail(self, access: Access) -> AuditTrail:
        """The audit log of the caller's community, written and read through `access`."""
        return AuditTrail(self.uow, self.clock, access)

    async def message_member(
        self, platform: PlatformName, community: str, member: str, text: str
    ) -> bool:
        """A direct message to one member; False when the platform is not running here or
        cannot deliver it."""
        target = self.platforms.get(platform)
        if not isinstance(target, MemberMessages):
            return False
        return await target.message_member(community, member, text)

    async def tell_managers(self, community_id: int, text: str) -> bool:
        """Send `text` privately to a community's managers; False when the community or its
        platform is not there. A platform failure raises PlatformError."""
        async with self.uow() as u:
            community = await u.communities.get(community_id)
        platform = self.platforms.get(community.platform) if community else None
        if community is None or platform is None:
            return False
        await platform.notify_managers(community.external_id, text)
        return True
