"""The console as a Platform: prompts are printed to the terminal."""

from __future__ import annotations

from datetime import datetime
from typing import TextIO

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from bot.core.domain import PlatformName, Target
from bot.core.ports import Missing, PromptMessage
from bot.core.rituals import Spoken

HINT = "type a reply, +emoji to react, -emoji to undo, /tigerbird help"


class ConsolePlatform:
    """Implements bot.core.ports.Platform by printing; remembers what it printed this run.

    Everything printed is rich `Text`, never markup: prompt, category and replies are data,
    so `[/x]` or `[bold]` in them is shown as typed."""

    name = PlatformName.CONSOLE

    def __init__(self, out: TextIO | None = None) -> None:
        self._console = Console(file=out, highlight=False)
        self.posted: list[tuple[str, Target]] = []

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        # The id comes from the slot marker, unique in the database: a later run never
        # reuses an earlier run's id (which would send its reactions to the old post).
        target = Target(channel, "console-" + message.marker.replace(":", "-"), None)
        self.posted.append((message.marker, target))
        body = Text(message.text)
        choices = "  ".join(f"+{c.emoji} {c.label}" for c in message.choices)
        if choices:
            body.append("\n\n" + choices, style="dim")
        title = Text(f"🐯 Tigerbird · {message.category}")
        self._console.print(Panel(body, title=title, subtitle=Text(HINT)))
        return target

    async def complete_post(self, community: str, target: Target, message: PromptMessage) -> Target:
        """A console post has no parts of its own (choices are printed with it)."""
        return target

    async def pin(self, community: str, target: Target) -> None:
        self.note(f"📌 pinned {target.message_id}")

    async def unpin(self, community: str, target: Target) -> None:
        return None

    async def check_permissions(
        self, community: str, channel: str, *, pin: bool, thread: bool, ping_role: str | None
    ) -> list[Missing]:
        return []

    async def find_post(
        self, community: str, channel: str, marker: str, since: datetime
    ) -> Target | None:
        return next((t for m, t in self.posted if m == marker), None)

    async def notify_managers(self, community: str, text: str) -> None:
        self._console.print(Text.assemble(("To the managers: ", "yellow"), text))

    async def current_reactions(
        self, community: str, target: Target
    ) -> list[tuple[str, str]] | None:
        # A terminal cannot be read back: what was typed in an earlier run is stored already,
        # and "nothing seen" must not be taken for "every reaction was removed".
        return None

    async def current_replies(self, community: str, target: Target) -> list[tuple[str, datetime]]:
        return []  # likewise every reply

    async def message_member(self, community: str, member_id: str, text: str) -> bool:
        """bot.core.ports.MemberMessages: the console has one member, who reads this."""
        self._console.print(Text.assemble((f"To {member_id}: ", "yellow"), text))
        return True

    async def say_in_thread(self, community: str, target: Target, parts: Spoken) -> None:
        """bot.core.ports.ThreadMessages: printed under the prompt; the one member is "you"."""
        line = "".join(p if isinstance(p, str) else "you" for p in parts)
        self._console.print(Text.assemble(("  ↳ Tigerbird: ", "cyan"), line))

    def say(self, text: str) -> None:
        """Print text exactly as given (a command reply, a hint): never read as markup."""
        self._console.print(Text(text))

    def note(self, text: str) -> None:
        self._console.print(Text(text, style="dim"))
