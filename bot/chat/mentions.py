"""Reading the members and groups a manager names in a command: mentions as each platform
sends them, or bare ids. A bare name cannot be resolved, so it is refused saying what works."""

from __future__ import annotations

import re

from bot.core.domain import PlatformName
from bot.core.invocations import CommandError

_ID = r"(?=[A-Z0-9]*\d)[A-Z0-9]{2,}"  # Slack ids: capitals and digits, with a digit
SLACK_USER_GROUP = re.compile("S" + _ID)
_SLACK_MEMBER = re.compile(rf"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|([UW]{_ID})")
_SLACK_GROUP = re.compile(rf"<!subteam\^(S{_ID})(?:\|[^>]*)?>|(S{_ID})")
_DISCORD_MEMBER = re.compile(r"<@!?(\d{1,20})>|(\d{1,20})")
_DISCORD_ROLE = re.compile(r"<@&(\d{1,20})>|(\d{1,20})")
_CONSOLE_MEMBER = re.compile(r"@?([\w.-]{1,64})")


def _match(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.fullmatch(text.strip())
    return None if found is None else next(g for g in found.groups() if g)


def member_id(platform: PlatformName, text: str) -> str:
    """The member id in `<@U123>`, `<@U123|alice>`, `<@123>`, `<@!123>` or a bare id."""
    if platform is PlatformName.SLACK:
        found = _match(_SLACK_MEMBER, text)
        how = "mention them as <@U…> or give their member ID (profile → ⋮ → Copy member ID)"
    elif platform is PlatformName.DISCORD:
        found = _match(_DISCORD_MEMBER, text)
        how = "mention them (type @ and pick them from the list) or give their user ID"
    else:
        found, how = _match(_CONSOLE_MEMBER, text), "give a name made of letters and digits"
    if found is None:
        raise CommandError(f"managers: cannot tell who '{text}' is; {how}")
    return found


def ping_role(platform: PlatformName, community: str, text: str) -> str:
    """The group a post pings: a Slack user group (`<!subteam^S123|@group>` or `S123`) or a
    Discord role (`<@&123>` or its id). Never @here, @channel or @everyone."""
    if platform is PlatformName.SLACK:
        found = _match(_SLACK_GROUP, text)
        allowed = "a user group: its mention or its ID like S0123ABCD"
    else:
        found = _match(_DISCORD_ROLE, text)
        # Discord's @everyone role has the server's own id.
        found = None if found == community else found
        allowed = "a role: its mention or its ID"
    if found is None:
        raise CommandError(
            f"ping-role: '{text}' must be {allowed}, or off (@here, @channel and @everyone "
            "are never pinged)"
        )
    return found
