"""SQLite file faults: a missing or read-only folder, a read-only or vanished file at start-up
are one line naming DATABASE_URL and a non-zero exit; a file deleted while the bot runs stops it
before anything is written into the deleted file or a new empty one; a DEBUG start-up with a
generated member key never logs the key, and warns once that it lives in the database."""

from __future__ import annotations

import configparser  # noqa: F401  (imported before seteuid: the interpreter may be unreadable)
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiosqlite  # noqa: F401
import alembic.command  # noqa: F401
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.core.domain import PlatformName
from bot.engagement.members import MEMBER_KEY_STATE
from bot.storage.engine import make_engine, make_sessions
from bot.storage.sqlite_file import DatabaseUnavailable
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.test_console_run import _wait_for

runner = CliRunner()
NOBODY = 65534
COMMANDS = [["run"], ["db", "upgrade"]]


def invoke(args: list[str], path: Path) -> tuple[int, str]:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{path}",
        "SLACK_BOT_TOKEN": "",
        "DISCORD_TOKEN": "",
    }
    result = runner.invoke(app, args, env=env)
    return result.exit_code, result.output


def assert_one_line(code: int, output: str, *needles: str) -> None:
    assert code == 2, output
    assert len(output.strip().splitlines()) == 1 and "Traceback" not in output, output
    flat = output.replace("\n", "")
    assert flat.startswith("error: DATABASE_URL: "), output
    for needle in needles:
        assert needle in flat, output


@contextmanager
def unprivileged() -> Iterator[None]:
    """File modes bind root only on a read-only file system: act as nobody meanwhile."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder nobody can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="tb-sqlite-faults-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            path.chmod(0o777)
        shutil.rmtree(folder)


@pytest.mark.parametrize("args", COMMANDS)
def test_a_missing_folder_is_one_line(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "missing" / "tb.db"
    assert_one_line(*invoke(args, path), str(path), "does not exist")
    assert not path.parent.exists()


@pytest.mark.parametrize("args", COMMANDS)
def test_a_read_only_folder_is_one_line(shared_dir: Path, args: list[str]) -> None:
    folder = shared_dir / "ro"
    folder.mkdir(mode=0o555)
    with unprivileged():
        code, output = invoke(args, folder / "tb.db")
    assert_one_line(code, output, str(folder / "tb.db"), "cannot create files", "Permission")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("args", COMMANDS)
def test_a_read_only_file_is_one_line(shared_dir: Path, args: list[str]) -> None:
    path = shared_dir / "tb.db"
    assert invoke(["db", "upgrade"], path)[0] == 0
    before = path.read_bytes()
    path.chmod(0o444)
    with unprivileged():
        code, output = invoke(args, path)
    assert_one_line(code, output, str(path), "cannot be written", "Permission denied")
    assert path.read_bytes() == before


@pytest.mark.parametrize("args", COMMANDS)
def test_a_link_to_a_vanished_file_is_one_line(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "tb.db"
    path.symlink_to(tmp_path / "gone.db")
    assert_one_line(*invoke(args, path), str(path), "vanished")
    assert not (tmp_path / "gone.db").exists()


def delete(path: Path, replace: bool = False) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if replace:
        path.write_bytes(b"")


def size(path: Path) -> int | None:
    return path.stat().st_size if path.exists() else None


@pytest.mark.parametrize("how", ["deleted", "replaced"])
async def test_a_file_deleted_under_the_engine_refuses_every_later_use(
    sqlite_url: str, how: str
) -> None:
    path = Path(sqlite_url.split(":///", 1)[1])
    engine = make_engine(sqlite_url)
    store = SqlUnitOfWorkFactory(make_sessions(engine))
    try:
        async with store() as u:
            await u.communities.ensure(PlatformName.SLACK, "T1", "Alpha")
            await u.commit()
        delete(path, replace=how == "replaced")
        with pytest.raises(DatabaseUnavailable, match=f"DATABASE_URL: the SQLite database {path}"):
            async with store() as u:
                await u.communities.ensure(PlatformName.SLACK, "T2", "Beta")
                await u.commit()
        # Not re-created empty by a new connection either.
        await engine.dispose()
        with pytest.raises(DatabaseUnavailable):
            async with engine.connect() as conn:
                await conn.execute(text("select 1"))
        assert size(path) == (0 if how == "replaced" else None)
    finally:
        await engine.dispose()


def start(tmp_path: Path, **extra: str) -> subprocess.Popen[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "TIGERBIRD_", "DATABASE_URL"))
    }
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'tb.db'}",
        COLUMNS="200",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot.app.cli.main", "run"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_database_deleted_while_running_stops_the_bot(tmp_path: Path) -> None:
    proc = start(tmp_path)
    seen: list[str] = []
    try:
        _wait_for(proc, "Tigerbird is running", seen)
        delete(tmp_path / "tb.db")
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.stdout is not None
    output = "".join(seen) + proc.stdout.read()
    assert code == 2, output
    assert f"error: DATABASE_URL: the SQLite database {tmp_path / 'tb.db'} was deleted" in output
    assert "Traceback" not in output
    assert not (tmp_path / "tb.db").exists()  # no new empty database in its place


def stored_key(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        [(value,)] = conn.execute("select value from bot_state where key = ?", (MEMBER_KEY_STATE,))
    return str(value)


@pytest.mark.parametrize("engine_level", ["", "INFO", "DEBUG"])
def test_a_debug_start_up_never_logs_the_generated_key(tmp_path: Path, engine_level: str) -> None:
    extra = {"TIGERBIRD_LOG_LEVEL": "DEBUG"}
    if engine_level:  # SQLAlchemy's echo (its loggers stay at WARNING unless set)
        (tmp_path / "sitecustomize.py").write_text(
            f"import logging\nlogging.getLogger('sqlalchemy.engine').setLevel('{engine_level}')\n"
        )
        extra["PYTHONPATH"] = str(tmp_path)
    proc = start(tmp_path, **extra)
    seen: list[str] = []
    try:
        _wait_for(proc, "Tigerbird is running", seen)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.stdout is not None
    logged = "".join(seen) + proc.stdout.read()
    assert "DEBUG aiosqlite: executing" in logged and "INSERT INTO bot_state" in logged
    if engine_level:
        assert "INFO sqlalchemy.engine.Engine: INSERT INTO bot_state" in logged
        assert ("DEBUG sqlalchemy.engine.Engine: Row" in logged) == (engine_level == "DEBUG")
    key = stored_key(tmp_path / "tb.db")
    assert key not in logged
    warnings = [line for line in logged.splitlines() if "re-identify" in line]
    assert len(warnings) == 1 and " WARNING " in warnings[0], warnings
    assert "TIGERBIRD_MEMBER_KEY" in warnings[0]


def test_no_warning_when_the_key_is_configured(tmp_path: Path) -> None:
    proc = start(tmp_path, TIGERBIRD_MEMBER_KEY="kept-in-a-secret-store")
    seen: list[str] = []
    try:
        _wait_for(proc, "Tigerbird is running", seen)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "re-identify" not in "".join(seen)
