"""Process level: `tigerbird run --post-now` on SQLite with no tokens shows a prompt in the
console, records what is typed back, and exits cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from bot.storage.engine import make_engine

ROOT = Path(__file__).resolve().parents[1]


def _wait_for(
    proc: subprocess.Popen[str], needle: str, seen: list[str], timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return
    raise AssertionError(f"{needle!r} never appeared; output:\n{''.join(seen)}")


def _count(url: str, query: str) -> int:
    async def run() -> int:
        engine = make_engine(url)
        async with engine.connect() as conn:
            value = (await conn.execute(text(query))).scalar_one()
        await engine.dispose()
        return int(value)

    return asyncio.run(run())


def test_console_run_posts_records_and_stops_cleanly(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tb.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(DATABASE_URL=url, COLUMNS="100", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "run", "--post-now"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    try:
        _wait_for(proc, "running the local console channel", seen)
        _wait_for(proc, "Tigerbird ·", seen)
        assert proc.stdin is not None
        proc.stdin.write("+🐯\nI would be a bluebird, obviously.\n")
        proc.stdin.flush()
        _wait_for(proc, "noted", seen)
        _wait_for(proc, "noted", seen)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Tigerbird stopped." in "".join(seen) + (proc.stdout.read() if proc.stdout else "")
    assert _count(url, "select count(*) from posts where status = 'sent'") == 1
    assert _count(url, "select count(*) from responses") == 2
    assert _count(url, "select count(*) from prompts") >= 15
