"""The console as a Platform: prompts are printed to the terminal."""

from __future__ import annotations

from datetime import datetime
from typing import TextIO

from rich.console import Console
from rich.panel import Panel

from bot.domain import PlatformName, Target
from bot.ports import Missing, PromptMessage


class ConsolePlatform:
    """Implements bot.ports.Platform by printing; remembers what it printed this run."""

    name = PlatformName.CONSOLE

    def __init__(self, out: TextIO | None = None) -> None:
        self._console = Console(file=out, highlight=False)
        self.posted: list[tuple[str, Target]] = []

    @property
    def latest(self) -> str | None:
        return self.posted[-1][1].message_id if self.posted else None

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        target = Target(channel, f"console-{len(self.posted) + 1}", None)
        self.posted.append((message.marker, target))
        choices = "  ".join(f"+{c.emoji} {c.label}" for c in message.choices)
        body = message.text + (f"\n\n[dim]{choices}[/dim]" if choices else "")
        hint = "type a reply, +emoji to react, -emoji to undo, /tigerbird help"
        self._console.print(Panel(body, title=f"🐯 Tigerbird · {message.category}", subtitle=hint))
        return target

    async def pin(self, community: str, target: Target) -> None:
        self._console.print(f"[dim]📌 pinned {target.message_id}[/dim]")

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
        self._console.print(f"[yellow]To the managers:[/yellow] {text}")

    async def current_reactions(self, community: str, target: Target) -> list[tuple[str, str]]:
        return []  # the console records every reaction as it is typed; nothing to catch up

    async def current_replies(self, community: str, target: Target) -> list[tuple[str, datetime]]:
        return []  # likewise every reply

    def say(self, text: str) -> None:
        self._console.print(text)
