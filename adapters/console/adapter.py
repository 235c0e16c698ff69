"""Reads the terminal and feeds what is typed to the core."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from adapters.console.platform import ConsolePlatform
from adapters.console.standing import ConsoleStandings
from adapters.console.translate import CHANNEL, COMMUNITY, MEMBER, ConsoleCommand, translate_line
from bot.core.domain import PlatformName, PostStatus, Schedule
from bot.core.invocations import Invocation
from bot.core.ports import CommandRunner, ConsoleEntry
from bot.scheduling.slot_times import local_time

log = logging.getLogger(__name__)


class ConsoleAdapter:
    """The terminal as a channel: typed lines become commands or engagement events."""

    def __init__(
        self, service: ConsoleEntry, commands: CommandRunner, stdin: TextIO, out: TextIO | None
    ) -> None:
        self.platform = ConsolePlatform(out)
        self.standings = ConsoleStandings()
        self._service = service
        self._commands = commands
        self._stdin = stdin
        self._task: asyncio.Task[None] | None = None
        # Called when stdin ends (closed, or `< /dev/null`): nothing more can be typed.
        self.on_end_of_input: Callable[[], None] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._read())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()

    async def handle_line(self, line: str) -> None:
        command = line.strip().startswith("/tigerbird")
        latest = None if command else await self._latest_post()
        item = translate_line(line, latest, datetime.now(UTC))
        if isinstance(item, ConsoleCommand):
            invocation = Invocation(
                PlatformName.CONSOLE, COMMUNITY, CHANNEL, MEMBER, member_is_admin=True
            )
            reply = await self._commands.run(invocation, item.text)
            self.platform.say(reply.text)
        elif item is not None:
            await self._service.handle_event(item)
            self.platform.note("noted")
        elif line.strip():
            self.platform.say("There is no prompt to answer yet. " + await self.next_prompt())

    async def _latest_post(self) -> str | None:
        """The message id of the console's latest recorded post, from this run or an earlier
        one: a post counts once its message id is stored, so what is typed is never dropped."""
        posts = [
            post
            for schedule in await self._schedules()
            for post in await self._service.posts_of(schedule.id)
            if post.status is PostStatus.SENT and post.message_id
        ]
        return max(posts, key=lambda p: p.slot_at).message_id if posts else None

    async def _schedules(self) -> list[Schedule]:
        return await self._service.schedules_in_channel(PlatformName.CONSOLE, COMMUNITY, CHANNEL)

    async def next_prompt(self) -> str:
        """When the next prompt comes, in the schedule's own time zone, and how not to wait."""
        now = "`/tigerbird now` posts one at once."
        schedules = await self._schedules()
        running = [(s.next_slot_at, s) for s in schedules if not s.paused and s.next_slot_at]
        if not schedules:
            return f"#{CHANNEL} has no schedule (`/tigerbird here 09:00`); {now}"
        if not running:
            return f"The #{CHANNEL} schedule is paused (`/tigerbird resume`); {now}"
        slot, first = min(running, key=lambda pair: pair[0])
        local = local_time(first.spec, slot)
        when = f"{local:%a %d %b %H:%M} {first.spec.timezone}"
        return f"The next prompt comes {when} in #{CHANNEL}; {now}"

    async def _read(self) -> None:
        # A daemon thread, so that a blocked readline never holds up shutdown.
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str] = asyncio.Queue()

        def pump() -> None:
            for line in iter(self._stdin.readline, ""):
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, "")

        threading.Thread(target=pump, name="console-input", daemon=True).start()
        while True:
            line = await lines.get()
            if line == "":
                if self.on_end_of_input is not None:
                    self.on_end_of_input()
                return
            try:
                await self.handle_line(line)
            except Exception:
                log.exception("could not handle console input")


def build(
    service: ConsoleEntry,
    commands: CommandRunner,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> ConsoleAdapter:
    return ConsoleAdapter(service, commands, stdin or sys.stdin, out)
