"""Making member-written text safe to post: no mass or personal mention can resolve."""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"

# Slack's special mentions and user/group/role references, Discord's user and role mentions.
_ANGLE_MENTION = re.compile(
    r"<(!(?:channel|here|everyone)[^>]*|!subteam\^[^>]*|@[!&]?[A-Za-z0-9]+)>"
)
_AT_WORD = re.compile(r"@(?=(everyone|here|channel)\b)", re.IGNORECASE)


def _defuse(match: re.Match[str]) -> str:
    inner = match.group(1)
    if inner.startswith("!"):
        return "@" + ZERO_WIDTH_SPACE + inner[1:]
    return inner.replace("@", "@" + ZERO_WIDTH_SPACE, 1)


def neutralise_mentions(text: str) -> str:
    """Break every mention so that no platform resolves it, keeping the text readable.

    `<@U123>` becomes `@U123`-looking text without the angle brackets, and `@everyone`/`@here`
    get a zero-width space after the at-sign.
    """
    text = _ANGLE_MENTION.sub(_defuse, text)
    return _AT_WORD.sub("@" + ZERO_WIDTH_SPACE, text)
