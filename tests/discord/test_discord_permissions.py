"""Discord's permission maths from REST payloads, and what a schedule then lacks."""

from __future__ import annotations

from discord import Permissions

from adapters.discord.permissions import effective_permissions, missing_permissions

GUILD, OWNER, BOT, ROLE, OTHER_ROLE = 1, 2, 3, 4, 5


def role(role_id: int, **perms: bool) -> dict[str, str]:
    return {"id": str(role_id), "permissions": str(Permissions(**perms).value)}


def overwrite(target: int, allow: Permissions, deny: Permissions) -> dict[str, str]:
    return {"id": str(target), "allow": str(allow.value), "deny": str(deny.value)}


def perms_with(
    roles: list[dict[str, str]], overwrites: list[dict[str, str]], user: int = BOT
) -> Permissions:
    return effective_permissions(
        guild_id=GUILD,
        owner_id=OWNER,
        user_id=user,
        roles=roles,
        member_role_ids=[ROLE, OTHER_ROLE],
        overwrites=overwrites,
    )


def test_role_allow_beats_everyone_deny_and_member_deny_beats_role_allow() -> None:
    roles = [role(GUILD, view_channel=True, send_messages=True), role(ROLE), role(OTHER_ROLE)]
    overwrites = [
        overwrite(GUILD, Permissions.none(), Permissions(send_messages=True, view_channel=True)),
        overwrite(ROLE, Permissions(send_messages=True, view_channel=True), Permissions.none()),
        overwrite(BOT, Permissions.none(), Permissions(send_messages=True)),
    ]
    perms = perms_with(roles, overwrites)
    assert perms.view_channel and not perms.send_messages


def test_administrator_and_ownership_override_channel_denies() -> None:
    deny_all = [overwrite(GUILD, Permissions.none(), Permissions.all())]
    admin = perms_with([role(GUILD), role(ROLE, administrator=True), role(OTHER_ROLE)], deny_all)
    owner = perms_with([role(GUILD), role(ROLE), role(OTHER_ROLE)], deny_all, user=OWNER)
    assert admin.send_messages and owner.pin_messages


def test_a_ping_role_that_is_not_mentionable_needs_mention_everyone() -> None:
    perms = Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        add_reactions=True,
        read_message_history=True,
    )
    missing = missing_permissions(
        perms, "#general", pin=False, thread=False, ping_role={"name": "qotd", "mentionable": False}
    )
    assert [m.what for m in missing] == ["Mention @everyone, @here and All Roles in #general"]
    assert "make the role @qotd mentionable" in missing[0].how_to_fix
