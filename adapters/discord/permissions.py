"""The bot's effective permissions in a channel, and what is missing for a schedule.

Discord's algorithm: the @everyone role plus the member's roles give the base (Administrator
or ownership grant everything); then the channel's @everyone overwrite, the role overwrites
(all denies, then all allows) and the member's own overwrite apply in that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from discord import Permissions

from bot.core.ports import Missing

ALL = Permissions.all().value


@dataclass(frozen=True)
class Needed:
    """A permission a feature needs; `alternatives` are flag names any one of which suffices."""

    label: str
    alternatives: tuple[str, ...]


BASE_NEEDS = (
    Needed("View Channel", ("view_channel",)),
    Needed("Send Messages", ("send_messages",)),
    Needed("Embed Links", ("embed_links",)),
    Needed("Add Reactions", ("add_reactions",)),
    Needed("Read Message History", ("read_message_history",)),
)
THREAD_NEEDS = (
    Needed("Create Public Threads", ("create_public_threads",)),
    Needed("Send Messages in Threads", ("send_messages_in_threads",)),
)
# January 2026: pinning moved out of Manage Messages into its own Pin Messages permission;
# servers set up before still grant it through Manage Messages, so either one is enough.
PIN_NEEDS = (Needed("Pin Messages", ("pin_messages", "manage_messages")),)
MENTION_NEEDS = (Needed("Mention @everyone, @here and All Roles", ("mention_everyone",)),)


INVITE_NEEDS = (*BASE_NEEDS, *THREAD_NEEDS, *PIN_NEEDS)


def invite_permissions() -> Permissions:
    """Exactly what the features need (Pin Messages rather than the broader Manage Messages)."""
    perms = Permissions.none()
    for need in INVITE_NEEDS:
        setattr(perms, need.alternatives[0], True)
    return perms


def effective_permissions(
    *,
    guild_id: int,
    owner_id: int,
    user_id: int,
    roles: Sequence[Mapping[str, Any]],
    member_role_ids: Iterable[int],
    overwrites: Sequence[Mapping[str, Any]],
) -> Permissions:
    """Compute a member's permissions in a channel from REST payloads."""
    if user_id == owner_id:
        return Permissions(ALL)
    role_perms = {int(r["id"]): int(r["permissions"]) for r in roles}
    member_roles = set(member_role_ids)
    value = role_perms.get(guild_id, 0)
    for role_id in member_roles:
        value |= role_perms.get(role_id, 0)
    if value & Permissions(administrator=True).value:
        return Permissions(ALL)
    by_id = {int(o["id"]): o for o in overwrites}
    if (everyone := by_id.get(guild_id)) is not None:
        value = (value & ~int(everyone["deny"])) | int(everyone["allow"])
    allow = deny = 0
    for role_id in member_roles:
        if (ow := by_id.get(role_id)) is not None:
            allow |= int(ow["allow"])
            deny |= int(ow["deny"])
    value = (value & ~deny) | allow
    if (own := by_id.get(user_id)) is not None:
        value = (value & ~int(own["deny"])) | int(own["allow"])
    return Permissions(value)


def missing_permissions(
    perms: Permissions,
    channel_label: str,
    *,
    pin: bool,
    thread: bool,
    ping_role: Mapping[str, Any] | None,
) -> list[Missing]:
    """Each needed permission the bot lacks, said so a server manager can fix it."""
    needs = list(BASE_NEEDS)
    if thread:
        needs += THREAD_NEEDS
    if pin:
        needs += PIN_NEEDS
    if ping_role is not None and not ping_role.get("mentionable", False):
        needs += MENTION_NEEDS
    missing = []
    for need in needs:
        if not any(getattr(perms, name) for name in need.alternatives):
            missing.append(
                Missing(
                    what=f"{need.label} in {channel_label}",
                    how_to_fix=_fix(need, channel_label, ping_role),
                )
            )
    return missing


def _fix(need: Needed, channel_label: str, ping_role: Mapping[str, Any] | None) -> str:
    if need in MENTION_NEEDS and ping_role is not None:
        return (
            f"make the role @{ping_role.get('name', '?')} mentionable (Server Settings → Roles), "
            f"or allow Tigerbird '{need.label}' in {channel_label}"
        )
    return (
        f"allow '{need.label}' for the Tigerbird role in {channel_label} "
        "(Edit Channel → Permissions), or in Server Settings → Roles"
    )
