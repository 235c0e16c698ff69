"""What the Discord handlers call into, and how a core Reply is rendered on Discord."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord

from adapters.discord.platform import DiscordPlatform
from adapters.discord.render import allowed_mentions
from bot.core.domain import PlatformName
from bot.core.invocations import Invocation, Reply, Review
from bot.core.ports import CommandRunner, CoreEntry, PlatformError

log = logging.getLogger(__name__)
# Discord wants an answer to an interaction within 3 s; slower commands are deferred first.
ANSWER_DIRECTLY_WITHIN = 2.0


@dataclass
class Bridge:
    """What the handlers reach from an interaction: the core's entry points, the commands,
    the platform, and how a review message's buttons are made (adapters.discord.views)."""

    app: CoreEntry
    commands: CommandRunner
    platform: DiscordPlatform
    review_view: Callable[[int], discord.ui.View]


def bridge_of(interaction: discord.Interaction) -> Bridge:
    """The bridge the client was built with (adapters.discord.build sets `client.bridge`)."""
    bridge = getattr(interaction.client, "bridge", None)
    if not isinstance(bridge, Bridge):
        raise RuntimeError("this Discord client was not built by adapters.discord.build")
    return bridge


async def answer(interaction: discord.Interaction, inv: Invocation, work: Awaitable[Reply]) -> None:
    """Run a command, answer the interaction with its Reply, then deliver reviews and DMs."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=ANSWER_DIRECTLY_WITHIN)
    if not done:
        await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        reply = await task
    except Exception:  # the member must still get an answer; the log has the details
        log.exception("command failed for %s in %s", inv.member_id, inv.community)
        reply = Reply("Sorry, Tigerbird hit an error doing that. The details are in its log.")
    files = [discord.File(io.BytesIO(reply.chart_png), "tigerbird.png")] if reply.chart_png else []
    text = reply.text[:2000] or "Done."
    if interaction.response.is_done():
        await interaction.followup.send(
            text, ephemeral=reply.private, files=files, allowed_mentions=allowed_mentions(None)
        )
    else:
        await interaction.response.send_message(
            text, ephemeral=reply.private, files=files, allowed_mentions=allowed_mentions(None)
        )
    await deliver_extras(bridge_of(interaction), inv, reply)


async def deliver_extras(bridge: Bridge, inv: Invocation, reply: Reply) -> None:
    if reply.review is not None:
        await post_review(bridge, inv, reply.review)
    if reply.direct_message is not None:
        member_id, text = reply.direct_message
        await bridge.platform.send_direct(member_id, text)


async def post_review(bridge: Bridge, inv: Invocation, review: Review) -> None:
    """Post a suggestion with Approve/Reject buttons to the review channel.

    Without a configured review channel (/tigerbird settings review-channel #channel) it goes
    to the channel the suggestion was made in; the buttons check for a manager either way.
    If the post fails (or the channel is not this server's), the managers are told by DM how
    to reach the suggestion (`/tigerbird pending`), so it never waits with nobody told.
    """
    community = await bridge.app.community(PlatformName.DISCORD, inv.community)
    channel_id = (community.review_channel if community else None) or inv.channel
    try:
        await _send_review(bridge, inv, review, channel_id)
    except (PlatformError, discord.HTTPException, ValueError) as exc:
        log.warning(
            "review of suggestion #%s not posted in %s: %s", review.prompt_id, channel_id, exc
        )
        text = (
            f"Tigerbird could not post suggestion #{review.prompt_id} for review in "
            f"<#{channel_id}> ({_why(exc)}). `/tigerbird pending` lists the suggestions waiting; "
            f"`/tigerbird approve {review.prompt_id}` or `/tigerbird reject {review.prompt_id}` "
            "decides; `/tigerbird settings review-channel #channel` sets where reviews go."
        )
        try:
            await bridge.platform.notify_managers(inv.community, text)
        except PlatformError as failed:
            log.warning("could not tell the managers of %s either: %s", inv.community, failed)


async def _send_review(bridge: Bridge, inv: Invocation, review: Review, channel_id: str) -> None:
    await bridge.platform.ensure_login()
    guild = bridge.platform.client.get_guild(int(inv.community))
    channel = guild.get_channel(int(channel_id)) if guild is not None else None
    if guild is not None and channel is None:
        raise ValueError(f"channel {channel_id} is not a channel of this server")
    embed = discord.Embed(title="Prompt suggestion", description=review.text[:4000])
    embed.add_field(name="Category", value=review.category)
    who = f"<@{review.suggested_by}>" if review.suggested_by else "a member (anonymous)"
    embed.add_field(name="Suggested by", value=who)
    if review.closest:
        embed.add_field(name="Closest existing prompt", value=review.closest[:1000], inline=False)
    if review.findings:
        embed.add_field(name="Lint", value="\n".join(review.findings)[:1000], inline=False)
    destination = bridge.platform.client.get_partial_messageable(
        int(channel_id), guild_id=int(inv.community)
    )
    view = bridge.review_view(review.prompt_id)
    await destination.send(embed=embed, view=view, allowed_mentions=allowed_mentions(None))


def _why(exc: Exception) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"Discord said {exc.status}: {exc.text or 'no detail'}"
    return str(exc)
