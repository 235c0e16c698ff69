"""What a person types in the console, as neutral domain events or a command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.domain import (
    EngagementEvent,
    PlatformName,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)

COMMUNITY = "local"
CHANNEL = "console"
MEMBER = "you"


@dataclass(frozen=True)
class ConsoleCommand:
    text: str


def translate_line(
    line: str, latest_message: str | None, at: datetime
) -> EngagementEvent | ConsoleCommand | None:
    """`+🐯` reacts to the latest post, `-🐯` takes it back, `/tigerbird …` is a command,
    anything else is a reply in the latest post's thread."""
    text = line.strip()
    if not text:
        return None
    if text.startswith("/tigerbird"):
        return ConsoleCommand(text[len("/tigerbird") :].strip())
    if latest_message is None:
        return None
    platform = PlatformName.CONSOLE
    if text[0] in "+-" and len(text) > 1 and " " not in text:
        event = ReactionAdded if text[0] == "+" else ReactionRemoved
        return event(platform, COMMUNITY, CHANNEL, latest_message, MEMBER, text[1:], at)
    reply_id = f"{latest_message}:{at.isoformat()}"
    return ReplyPosted(platform, COMMUNITY, CHANNEL, latest_message, MEMBER, at, reply_id, text)
