"""`tigerbird run` as a real child process: start it, wait for it, kill -9 it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
READY_LINE = b"Tigerbird is running"
START_TIMEOUT_SECONDS = 60.0
# Every bot started, so that one a failed test left running is killed after it: a leftover
# keeps calling its fakes' old ports, which the next test's fakes may be given.
STARTED: list[asyncio.subprocess.Process] = []


@dataclass
class BotProcess:
    """One run of the bot; its whole output (stdout and stderr) is kept in `output`."""

    process: asyncio.subprocess.Process
    output: bytearray = field(default_factory=bytearray)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while line := await self.process.stdout.readline():
            self.output += line
            if READY_LINE in line:
                self.ready.set()

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a power cut."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    async def wait(self) -> int:
        code = await self.process.wait()
        if self._reader is not None:
            await self._reader
        return code

    async def stop(self) -> int:
        """SIGTERM, as systemd or docker stop would; returns the exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.wait(), 30)

    @property
    def text(self) -> str:
        return self.output.decode(errors="replace")


async def start_bot(env: dict[str, str], cwd: Path, wait_ready: bool = True) -> BotProcess:
    """Start `python -m bot.app.cli.main run` in `cwd` (so no stray .env is read)."""
    full_env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "PYTHONUNBUFFERED": "1",
        "HOME": str(cwd),
        "TIGERBIRD_HTTP_PORT": "0",  # the dashboard on any free port
        **env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.app.cli.main",
        "run",
        cwd=cwd,
        env=full_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    STARTED.append(process)
    bot = BotProcess(process)
    bot._reader = asyncio.create_task(bot._read())
    if wait_ready:
        await wait_ready_or_exit(bot)
    return bot


async def wait_ready_or_exit(bot: BotProcess) -> None:
    exited = asyncio.create_task(bot.process.wait())
    ready = asyncio.create_task(bot.ready.wait())
    await asyncio.wait(
        {exited, ready}, timeout=START_TIMEOUT_SECONDS, return_when="FIRST_COMPLETED"
    )
    exited.cancel()
    ready.cancel()
    if not bot.ready.is_set():
        bot.kill()
        await bot.wait()
        raise AssertionError(f"the bot did not start:\n{bot.text[-4000:]}")


def kill_leftovers() -> int:
    """SIGKILL every bot still running; returns how many there were."""
    left = [p for p in STARTED if p.returncode is None]
    for process in left:
        with contextlib.suppress(ProcessLookupError):  # it may have ended on its own
            os.kill(process.pid, signal.SIGKILL)
    STARTED.clear()
    return len(left)
