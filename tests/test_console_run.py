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
        [sys.executable, "-m", "bot.app.cli.main", "run", "--post-now"],
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
        _wait_for(proc, "Tigerbird is running", seen)  # the post is recorded
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


TRICKY_PACK = """pack:
  id: tricky
  name: "Tricky"
  description: "Markup-looking text is data."
  language: en
  license: CC0-1.0
prompts:
  - id: brackets
    text: "Which is braver, [/x] or [bold]shouting[/bold]?"
    category: big-questions
"""


def _start(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.app.cli.main", "run", *args],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _type(proc: subprocess.Popen[str], text: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(text)
    proc.stdin.flush()


def _stop(proc: subprocess.Popen[str], seen: list[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        assert proc.wait(timeout=30) == 0, "".join(seen)
    finally:
        if proc.poll() is None:
            proc.kill()
    seen.append(proc.stdout.read() if proc.stdout else "")


def test_console_shows_markup_as_text_and_a_restart_keeps_its_reactions(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tb.db'}"
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "tricky.yaml").write_text(TRICKY_PACK, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.pop("TIGERBIRD_LOG_LEVEL", None)
    env.update(
        DATABASE_URL=url,
        COLUMNS="100",
        PYTHONUNBUFFERED="1",
        TIGERBIRD_PROMPTS_DIR=str(packs),
        TIGERBIRD_TIMEZONE="UTC",
    )
    first: list[str] = []
    proc = _start(tmp_path, env, "--post-now")
    try:
        _wait_for(proc, "Tigerbird ·", first)
        _wait_for(proc, "[/x] or [bold]shouting[/bold]", first)
        _wait_for(proc, "Tigerbird is running", first)  # the post is recorded
        _type(proc, "+🐯\n/tigerbird help\n")
        _wait_for(proc, "noted", first)
        _wait_for(proc, "[Europe/Paris] [mon-fri]", first)
        _stop(proc, first)
    finally:
        if proc.poll() is None:
            proc.kill()

    second: list[str] = []
    proc = _start(tmp_path, env)  # a restart, without --post-now
    try:
        _wait_for(proc, "The next prompt comes", second)
        assert "UTC in #console" in "".join(second)
        _type(proc, "+🐦\n")  # answers the post of the first run
        _wait_for(proc, "noted", second)
        _stop(proc, second)
    finally:
        if proc.poll() is None:
            proc.kill()

    output = "".join(first + second)
    assert "Traceback" not in output
    # Tigerbird's own lines only: no migration, scheduler or per-tick lines from libraries
    assert not [line for line in output.splitlines() if "alembic" in line or "apscheduler" in line]
    assert _count(url, "select count(*) from posts where status = 'sent'") == 1
    assert _count(url, "select count(*) from posts where status = 'claimed'") == 0
    assert _count(url, "select count(*) from responses where kind = 'reaction'") == 2
