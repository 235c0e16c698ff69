"""What follows a /tigerbird reply on Slack: the review DMs to the managers, a DM to the
member, a chart upload, and the review message rewritten once a suggestion is decided."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.platform import SlackPlatform
from bot.core.invocations import Invocation, Reply, Review
from bot.core.ports import PlatformError

log = logging.getLogger(__name__)


async def follow_up(
    platform: SlackPlatform, inv: Invocation, reply: Reply, client: AsyncWebClient
) -> None:
    """Side messages of a reply: a review for the managers, a DM, a chart."""
    try:
        if reply.review is not None:
            await send_review(platform, inv, reply.review)
        if reply.direct_message is not None:
            member, text = reply.direct_message
            await platform.direct_message(inv.community, member, text)
        if reply.chart_png is not None:
            await upload_chart(inv, reply.chart_png, client)
    except PlatformError as exc:
        log.warning("Follow-up of a /tigerbird reply failed: %s", exc.code)


async def send_review(platform: SlackPlatform, inv: Invocation, review: Review) -> None:
    """DM the suggestion with Approve/Reject buttons to every manager who can be reached."""
    layout = blocks.review_blocks(
        review.prompt_id,
        review.text,
        review.category,
        review.suggested_by,
        review.closest,
        review.findings,
    )
    managers = await platform.managers(inv.community)
    reached = 0
    for manager in managers:
        text = f"New prompt suggestion: {review.text}"
        try:  # one manager who cannot be DM'd must not keep it from the others
            await platform.direct_message(inv.community, manager, text, layout)
            reached += 1
        except PlatformError as exc:
            log.warning(
                "Could not send suggestion #%s to %s: %s", review.prompt_id, manager, exc.code
            )
    if not reached:
        log.warning(
            "Suggestion #%s reached no manager; `/tigerbird pending` lists it", review.prompt_id
        )


async def upload_chart(inv: Invocation, png: bytes, client: AsyncWebClient) -> None:
    opened = await client.conversations_open(users=inv.member_id)
    await client.files_upload_v2(
        channel=opened["channel"]["id"],
        content=png,
        filename="tigerbird-stats.png",
        title="Tigerbird engagement",
    )


async def mark_decided(client: AsyncWebClient, channel: str, ts: str, text: str) -> None:
    """Rewrite the review message with the decision; the decision stands if that fails."""
    try:
        await client.chat_update(
            channel=channel, ts=ts, text=blocks.escape(text), blocks=blocks.decided_blocks(text)
        )
    except SlackApiError as exc:
        log.warning("Could not rewrite the review message: %s", exc.response.get("error"))
