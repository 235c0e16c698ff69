"""The fake Discord's world: guilds, roles, channels, messages, and Discord's permission maths."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1420070400000
APP_ID = 1_100_000_000_000_000_001
BOT_TOKEN = "fake-bot-token"

# permission bits (https://discord.com/developers/docs/topics/permissions)
ADMINISTRATOR = 1 << 3
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
MANAGE_GUILD = 1 << 5
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
PIN_MESSAGES = 1 << 51
EVERYTHING = (1 << 53) - 1
MEMBER_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS | READ_MESSAGE_HISTORY
BOT_DEFAULT = (
    MEMBER_DEFAULT | EMBED_LINKS | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS | PIN_MESSAGES
)

_counter = itertools.count(1)


def snowflake() -> int:
    """A fresh id whose timestamp is now, as Discord's are."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0xFFF)


def snowflake_at(moment: datetime) -> int:
    return (int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


def emoji_payload(key: str) -> dict[str, Any]:
    """A reaction's emoji object from how the REST path names it: `name:id` or the character."""
    name, _, emoji_id = key.partition(":")
    return {"id": emoji_id, "name": name} if emoji_id else {"id": None, "name": key}


def user_payload(user_id: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": bot,
    }


@dataclass
class FakeChannel:
    id: int
    guild_id: int
    name: str
    type: int = 0
    parent_id: int | None = None
    overwrites: list[dict[str, Any]] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "name": self.name,
            "type": self.type,
            "position": 0,
            "permission_overwrites": self.overwrites,
            "nsfw": False,
            "parent_id": str(self.parent_id) if self.parent_id else None,
        }
        if self.type == 11:
            data["owner_id"] = str(APP_ID)
            data["thread_metadata"] = {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": iso_now(),
                "locked": False,
            }
            data["message_count"] = 0
            data["member_count"] = 1
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, dict[str, Any]] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)

    def role_payloads(self) -> list[dict[str, Any]]:
        return list(self.roles.values())

    def member_payload(self, user_id: int) -> dict[str, Any]:
        return {
            "user": self.users[user_id],
            "roles": [str(r) for r in self.members[user_id]],
            "joined_at": iso_now(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "owner_id": str(self.owner_id),
            "roles": self.role_payloads(),
            "emojis": [],
            "stickers": [],
            "features": [],
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "preferred_locale": "en-US",
            "premium_tier": 0,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    def gateway_payload(self) -> dict[str, Any]:
        data = self.payload()
        data.update(
            {
                "unavailable": False,
                "member_count": len(self.members),
                "large": False,
                "joined_at": iso_now(),
                "members": [self.member_payload(APP_ID)],
                "channels": [c.payload() for c in self.channels.values() if c.type != 11],
                "threads": [c.payload() for c in self.channels.values() if c.type == 11],
                "voice_states": [],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
            }
        )
        return data

    def permissions(self, user_id: int, channel: FakeChannel) -> int:
        """Discord's algorithm: base from roles, then @everyone, role and member overwrites."""
        if user_id == self.owner_id:
            return EVERYTHING
        perms = int(self.roles[self.id]["permissions"])
        for role_id in self.members.get(user_id, []):
            perms |= int(self.roles[role_id]["permissions"])
        if perms & ADMINISTRATOR:
            return EVERYTHING
        if channel.type == 11 and channel.parent_id is not None:
            channel = self.channels[channel.parent_id]
        by_id = {int(o["id"]): o for o in channel.overwrites}
        if (everyone := by_id.get(self.id)) is not None:
            perms = (perms & ~int(everyone["deny"])) | int(everyone["allow"])
        allow = deny = 0
        for role_id in self.members.get(user_id, []):
            if (ow := by_id.get(role_id)) is not None:
                allow |= int(ow["allow"])
                deny |= int(ow["deny"])
        perms = (perms & ~deny) | allow
        if (member := by_id.get(user_id)) is not None:
            perms = (perms & ~int(member["deny"])) | int(member["allow"])
        return perms


@dataclass
class World:
    """Everything the fake Discord knows; tests arrange it and then inspect it."""

    guilds: dict[int, FakeGuild] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    nonces: dict[tuple[int, int, str], tuple[int, float]] = field(default_factory=dict)
    reactions: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    pins: set[int] = field(default_factory=set)
    commands: list[dict[str, Any]] = field(default_factory=list)
    command_syncs: int = 0
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    dms: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    dm_channels: dict[int, int] = field(default_factory=dict)
    dm_channels_by_user: dict[int, int] = field(default_factory=dict)

    def add_guild(self, guild_id: int, name: str, owner_id: int) -> FakeGuild:
        guild = FakeGuild(guild_id, name, owner_id)
        guild.roles[guild_id] = role_payload(guild_id, "@everyone", MEMBER_DEFAULT)
        bot_role = guild_id + 1
        guild.roles[bot_role] = role_payload(bot_role, "Tigerbird", BOT_DEFAULT, managed=True)
        guild.users[APP_ID] = user_payload(APP_ID, "Tigerbird", bot=True)
        guild.members[APP_ID] = [bot_role]
        self.add_member(guild, owner_id, "owner")
        self.guilds[guild_id] = guild
        return guild

    def add_member(
        self,
        guild: FakeGuild,
        user_id: int,
        name: str,
        roles: tuple[int, ...] = (),
        bot: bool = False,
    ) -> None:
        guild.users[user_id] = user_payload(user_id, name, bot=bot)
        guild.members[user_id] = list(roles)

    def channel(self, channel_id: int) -> tuple[FakeGuild, FakeChannel] | None:
        for guild in self.guilds.values():
            if channel_id in guild.channels:
                return guild, guild.channels[channel_id]
        return None

    def channel_messages(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages in a channel, oldest first."""
        found = [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]
        return sorted(found, key=lambda m: int(m["id"]))

    def thread_of(self, message_id: int) -> FakeChannel | None:
        found = self.channel(message_id)
        return found[1] if found and found[1].type == 11 else None


def role_payload(role_id: int, name: str, perms: int, managed: bool = False) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(perms),
        "position": 1 if managed else 0,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": managed,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }
