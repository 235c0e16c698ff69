"""Permission pre-flight for a Slack channel: what stops Tigerbird from posting there.

Per workspace, the bot token's scopes (auth.test) and the channels it may post in
(conversations.list) are remembered a short time, so a fan-out to a workspace's channels does
not call the per-workspace Tier 3 conversations.info once per channel. What changes within that
time (a channel archived, the bot removed, a scope revoked) still stops the post: Slack answers
chat.postMessage with a permanent error, and the schedule is paused and its managers told.
Channels missing from the list, or that the bot is not in, are looked up one by one.
"""

from __future__ import annotations

from typing import Any

from adapters.slack.web_api import SlackWebApi
from bot.core.ports import Missing, PlatformError

Json = dict[str, Any]
LIST_PAGE = 1000
REINSTALL = "Reinstall Tigerbird (Slack app settings > Install App) so it gets the `{}` scope."
INVITE = "Invite the bot: type `/invite @Tigerbird` in {}."


async def check_channel(
    platform: SlackWebApi, community: str, channel: str, *, pin: bool
) -> list[Missing]:
    """Missing scopes and channel problems; joins a public channel the bot is not in."""
    try:
        granted = await platform.scopes.get(community, lambda: _granted_scopes(platform, community))
        info = await _channel_info(platform, community, channel)
    except PlatformError as exc:
        return [_explain(exc, channel)]
    shown = f"#{info['name']}" if info.get("name") else channel
    if info.get("is_archived"):
        how = "Unarchive the channel, or run `/tigerbird here` in another channel."
        return [Missing(f"{shown} is archived", how)]
    needed = ["chat:write", "reactions:write"]
    needed.append("groups:history" if info.get("is_private") else "channels:history")
    if pin:
        needed.append("pins:write")
    missing = [
        Missing(f"the `{scope}` permission", REINSTALL.format(scope))
        for scope in needed
        if granted is not None and scope not in granted
    ]
    if not info.get("is_member"):
        missing.extend(await _join(platform, community, channel, shown, info))
    return missing


async def _channel_info(platform: SlackWebApi, community: str, channel: str) -> Json:
    try:
        listed = await platform.channel_lists.get(community, lambda: _postable(platform, community))
    except PlatformError as exc:
        if not exc.permanent:
            raise
        listed = {}  # e.g. no channels:read: ask about the channel itself
    if channel in listed:
        return listed[channel]
    response = await platform.call(community, "conversations_info", channel=channel)
    info: Json = response["channel"]
    return info


async def _postable(platform: SlackWebApi, community: str) -> dict[str, Json]:
    """The first page of channels the bot is in and that are not archived."""
    response = await platform.call(
        community,
        "conversations_list",
        types="public_channel,private_channel",
        exclude_archived=True,
        limit=LIST_PAGE,
    )
    channels: list[Json] = response.get("channels") or []
    return {str(c["id"]): c for c in channels if c.get("is_member") and not c.get("is_archived")}


async def _granted_scopes(platform: SlackWebApi, community: str) -> set[str] | None:
    """The bot token's scopes as Slack reports them (None when it does not say)."""
    response = await platform.call(community, "auth_test")
    header = response.headers.get("x-oauth-scopes")
    return None if header is None else {s.strip() for s in str(header).split(",")}


async def _join(
    platform: SlackWebApi, community: str, channel: str, shown: str, info: dict[str, Any]
) -> list[Missing]:
    if info.get("is_private") or info.get("is_im") or info.get("is_mpim"):
        return [Missing(f"membership of {shown}", INVITE.format(shown))]
    try:
        await platform.call(community, "conversations_join", channel=channel)
    except PlatformError as exc:
        return [_explain(exc, channel)]
    return []


def _explain(exc: PlatformError, channel: str) -> Missing:
    if not exc.permanent:
        raise exc
    if exc.code == "channel_not_found":
        how = "Check the channel still exists; for a private channel, " + INVITE.format(channel)
        return Missing(f"access to channel {channel}", how)
    if exc.code == "is_archived":
        return Missing(f"channel {channel} is archived", "Unarchive it or pick another channel.")
    if exc.code == "missing_scope":
        return Missing("a Slack permission", REINSTALL.format("channels:read"))
    if exc.code in {"invalid_auth", "token_revoked", "account_inactive", "not_installed"}:
        return Missing("a valid Slack installation", "Reinstall Tigerbird in this workspace.")
    return Missing(f"access to channel {channel} ({exc.code})", INVITE.format(channel))
