"""Where suggestions are reviewed, and the list of those still waiting (`pending`)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.authz import Access, Caller
from bot.core.domain import Community
from bot.core.invocations import CommandError
from bot.core.text import neutralise_mentions

if TYPE_CHECKING:
    from bot.chat.settings_command import SettingsTarget

PENDING_SHOWN = 20
# A channel mention as platforms write it: Discord <#123>, Slack <#C123|name>.
_MENTION = re.compile(r"<#([A-Za-z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_ID = re.compile(r"[A-Za-z0-9]{1,64}")


def resolve_channel(value: str, channels: tuple[tuple[str, str], ...] | None) -> str:
    """The id of the community's channel a manager named (mention, id or #name).

    With the community's channel list (Discord), only one of its channels is accepted; a
    platform that does not list them gets the id as given, if it is id-shaped."""
    mention = _MENTION.fullmatch(value)
    wanted = mention.group(1) if mention else value.removeprefix("#")
    if channels is None:
        if not _CHANNEL_ID.fullmatch(wanted):
            raise CommandError(f"review-channel: '{value}' is not a channel; use #channel or off")
        return wanted
    by_id = [cid for cid, _ in channels if cid == wanted]
    by_name = [cid for cid, name in channels if name.lower() == wanted.lower()]
    found = by_id or by_name
    if not found:
        raise CommandError(
            f"review-channel: no text channel '{value}' in this server; "
            "pick one of its channels (#channel) or use off"
        )
    if len(found) > 1:
        raise CommandError(
            f"review-channel: several channels are named '{value}'; pick it with #channel"
        )
    return found[0]


async def set_review_channel(
    service: SettingsTarget,
    community: Community,
    values: list[str],
    channels: tuple[tuple[str, str], ...] | None,
) -> str:
    """`settings review-channel <#channel|off>`: where suggestions go for review."""
    if not values:
        raise CommandError("settings review-channel: give a #channel of this server, or off")
    value = values[0]
    if value.lower() in ("off", "none"):
        await service.update_community(replace(community, review_channel=None))
        return "Suggestions will be reviewed in the channel they are made in."
    channel = resolve_channel(value, channels)
    await service.update_community(replace(community, review_channel=channel))
    return f"Suggestions will be reviewed in <#{channel}>."


async def pending_list(access: Access, caller: Caller) -> str:
    """The community's suggestions waiting for review, with the commands that decide them."""
    waiting = await access.pending(caller)
    if not waiting:
        return "No suggestion is waiting for review."
    lines = [
        f"#{p.id} [{p.category}] {neutralise_mentions(p.text)}" for p in waiting[:PENDING_SHOWN]
    ]
    if len(waiting) > PENDING_SHOWN:
        lines.append(f"… and {len(waiting) - PENDING_SHOWN} more.")
    lines.append("Decide with `approve <id>` or `reject <id> <reason>`.")
    return f"{len(waiting)} waiting for review:\n" + "\n".join(lines)
