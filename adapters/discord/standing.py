"""A member's standing in a server from Discord itself, through the bot (member, roles)."""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.permissions import effective_permissions
from adapters.discord.platform import DiscordPlatform
from bot.core.ports import Standing

log = logging.getLogger(__name__)


class DiscordStandings:
    """bot.core.ports.Standings: Manage Server (or owner/administrator) counts as admin."""

    def __init__(self, platform: DiscordPlatform) -> None:
        self._platform = platform

    async def standing(self, community: str, member_id: str) -> Standing | None:
        if not (community.isdigit() and member_id.isdigit()):
            return None
        await self._platform.ensure_login()
        http = self._platform.client.http
        try:
            guild: Any = await http.get_guild(int(community), with_counts=False)
            member: Any = await http.get_member(int(community), int(member_id))
        except discord.HTTPException as exc:
            log.info("Discord refused a dashboard sign-in check: %s", exc.status)
            return None
        roles = tuple(str(r) for r in member.get("roles", []))
        perms = effective_permissions(
            guild_id=int(community),
            owner_id=int(guild["owner_id"]),
            user_id=int(member_id),
            roles=guild["roles"],
            member_role_ids=[int(r) for r in roles],
            overwrites=[],
        )
        return Standing(is_admin=perms.manage_guild, roles=roles)
