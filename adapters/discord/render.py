"""How a prompt looks on Discord, and the mention guard every message is sent with.

An embed rather than plain text: the question reads as a card apart from the chatter, the
choices sit under it, and embed text can never ping anyone whatever a suggester wrote. The
footer carries the slot marker: history fetches do not return a message's nonce, so after a
crash `find_post` recognises the message by its footer.
"""

from __future__ import annotations

import hashlib

import discord

from bot.core.ports import PromptMessage

EMBED_COLOUR = 0xF2A33A
MARKER_PREFIX = "ref "
NONCE_MAX = 25


def render_prompt(message: PromptMessage) -> discord.Embed:
    """The prompt as an embed: question, tap-to-answer choices, category and slot marker."""
    lines = [message.text]
    if message.choices:
        lines.append("")
        lines += [f"{c.emoji}  {c.label}" for c in message.choices]
    embed = discord.Embed(description="\n".join(lines)[:4096], colour=EMBED_COLOUR)
    embed.set_footer(text=f"{message.category} · {MARKER_PREFIX}{message.marker}")
    return embed


def nonce_for(marker: str) -> str:
    """Discord nonces are at most 25 characters; longer markers are hashed to fit."""
    if len(marker) <= NONCE_MAX:
        return marker
    return hashlib.sha256(marker.encode()).hexdigest()[:NONCE_MAX]


def carries_marker(message: discord.Message, marker: str) -> bool:
    footer = f"{MARKER_PREFIX}{marker}"
    return any((e.footer.text or "").endswith(footer) for e in message.embeds)


def allowed_mentions(ping_role: str | None) -> discord.AllowedMentions:
    """Nothing may ping except the one role a manager opted in to."""
    mentions = discord.AllowedMentions.none()
    if ping_role:
        mentions.roles = [discord.Object(id=int(ping_role))]
    return mentions
