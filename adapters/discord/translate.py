"""discord.py gateway objects → Tigerbird's neutral events and command invocations.

Bots (Tigerbird included), webhooks and system messages never reach the core. The client runs
without the privileged Message Content intent, so a reply's text is usually empty; when a bot
is granted the intent, the text goes with the reply (kept only for a best answer).
"""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.core.domain import (
    EngagementEvent,
    MemberSeen,
    PlatformName,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)
from bot.core.invocations import Invocation

DISCORD = PlatformName.DISCORD
THREAD_TYPES = (discord.ChannelType.public_thread, discord.ChannelType.news_thread)


def reaction_event(
    payload: discord.RawReactionActionEvent, bot_id: int
) -> ReactionAdded | ReactionRemoved | None:
    """A member's reaction added or removed, for any message, cached or not."""
    if payload.guild_id is None or payload.user_id == bot_id:
        return None
    if payload.member is not None and payload.member.bot:
        return None
    kind = ReactionAdded if payload.event_type == "REACTION_ADD" else ReactionRemoved
    return kind(
        platform=DISCORD,
        community=str(payload.guild_id),
        channel=str(payload.channel_id),
        message_id=str(payload.message_id),
        member_id=str(payload.user_id),
        emoji=emoji_key(payload.emoji),
        at=datetime.now(UTC),
    )


def message_events(message: discord.Message, bot_id: int) -> list[EngagementEvent]:
    """A member's message: a reply (in a post's thread, or referencing a post) and activity."""
    author = message.author
    if message.guild is None or author.bot or author.id == bot_id or message.webhook_id:
        return []
    if message.type not in (discord.MessageType.default, discord.MessageType.reply):
        return []
    community, member, at = str(message.guild.id), str(author.id), message.created_at
    channel = message.channel
    home = _parent_channel_id(channel)
    events: list[EngagementEvent] = [MemberSeen(DISCORD, community, str(home), member, at)]
    reply = {"message_id": str(message.id), "text": message.content or ""}
    if home != channel.id:
        # a thread opened on a message has that message's id, so the thread id finds the post
        events.append(
            ReplyPosted(DISCORD, community, str(home), str(channel.id), member, at, **reply)
        )
    elif message.reference is not None and message.reference.message_id is not None:
        parent = str(message.reference.message_id)
        events.append(ReplyPosted(DISCORD, community, str(channel.id), parent, member, at, **reply))
    return events


def invocation(interaction: discord.Interaction) -> Invocation:
    """Who ran a command where; admin-ness comes from Discord's own permission maths.

    `interaction.permissions` are the invoker's resolved permissions in that channel, computed
    by Discord, so a server that opened the command to everyone still cannot fake Manage Server.
    """
    user = interaction.user
    roles = tuple(str(r.id) for r in user.roles) if isinstance(user, discord.Member) else ()
    guild = interaction.guild
    return Invocation(
        platform=DISCORD,
        community=str(interaction.guild_id or ""),
        channel=str(interaction.channel_id or ""),
        member_id=str(user.id),
        member_is_admin=interaction.permissions.manage_guild,
        member_roles=roles,
        community_name=guild.name if guild is not None else "",
        channels=_text_channels(guild),
    )


def _text_channels(guild: discord.Guild | None) -> tuple[tuple[str, str], ...]:
    """The server's text channels from the gateway cache (none if the server is not cached,
    so a channel that cannot be checked is never accepted)."""
    if guild is None:
        return ()
    return tuple((str(c.id), c.name) for c in guild.text_channels)


def _parent_channel_id(channel: object) -> int:
    if isinstance(channel, discord.Thread) and channel.parent_id is not None:
        return channel.parent_id
    return int(getattr(channel, "id", 0))


def emoji_key(emoji: discord.PartialEmoji) -> str:
    """Unicode emoji as themselves; custom ones as <:name:id> (how prompts write them)."""
    if emoji.id is None:
        return emoji.name or ""
    return str(emoji)
