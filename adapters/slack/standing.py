"""A member's standing in a workspace from Slack itself (users.info, the stored installation)."""

from __future__ import annotations

import logging

from adapters.slack.platform import SlackPlatform
from bot.core.ports import PlatformError, Standing

log = logging.getLogger(__name__)
ADMIN_FLAGS = ("is_admin", "is_owner", "is_primary_owner")


class SlackStandings:
    """bot.core.ports.Standings over the workspace's bot token."""

    def __init__(self, platform: SlackPlatform) -> None:
        self._platform = platform

    async def standing(self, community: str, member_id: str) -> Standing | None:
        try:
            found = await self._platform.call(community, "users_info", user=member_id)
        except PlatformError as exc:
            log.info("users.info refused for a dashboard sign-in check: %s", exc.code)
            return None
        user = found.get("user") or {}
        if not isinstance(user, dict) or user.get("deleted") or user.get("is_bot"):
            return None
        if not _belongs(user, community):
            return None
        try:
            installer = await self._platform.tokens.installer(community)
        except PlatformError:
            installer = None
        return Standing(
            is_admin=any(bool(user.get(flag)) for flag in ADMIN_FLAGS),
            is_installer=installer == member_id,
        )


def _belongs(user: dict[str, object], team: str) -> bool:
    """The user is a member of the workspace: their own, or one of an Enterprise Grid user's."""
    enterprise = user.get("enterprise_user")
    teams = enterprise.get("teams", []) if isinstance(enterprise, dict) else []
    return user.get("team_id") == team or (isinstance(teams, list) and team in teams)
