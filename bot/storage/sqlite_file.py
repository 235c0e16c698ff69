"""The SQLite database file: checked before it is opened, watched while the bot runs.

A missing or read-only folder, or a read-only file, stops the start with one line naming
DATABASE_URL. Once open, the file is pinned by device and inode: if it is deleted or replaced,
every later checkout fails (nothing is written into a deleted file, and no new empty database
is created in its place) and `tigerbird run` stops with a clear error.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message is one line for the operator."""


def sqlite_path(url: str) -> Path | None:
    """The database file of an SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(database).absolute()


def check_file(path: Path) -> None:
    """Raise DatabaseUnavailable unless SQLite can create or write `path` and its journal."""
    folder = path.parent
    where = f"DATABASE_URL: the SQLite database {path}"
    if not folder.is_dir():
        raise DatabaseUnavailable(f"{where} is in a folder that does not exist ({folder})")
    if path.is_dir():
        raise DatabaseUnavailable(f"{where} is a folder, not a file")
    if path.is_symlink() and not path.exists():
        raise DatabaseUnavailable(f"{where} is a link to a file that has vanished")
    if path.exists():
        try:
            os.close(os.open(path, os.O_RDWR))
        except OSError as error:
            raise DatabaseUnavailable(f"{where} cannot be written ({error.strerror})") from None
    try:
        # SQLite creates the file and its -wal/-shm journal beside it.
        with tempfile.TemporaryFile(dir=folder, prefix=".tigerbird-probe-"):
            pass
    except OSError as error:
        raise DatabaseUnavailable(
            f"{where}: cannot create files in its folder {folder} ({error.strerror})"
        ) from None


class FileWatch:
    """Pins the database file at the first connection and checks it at every checkout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None

    def _current(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    def pin(self) -> None:
        if self._identity is None:
            self._identity = self._current()

    def check(self) -> None:
        """Raise DatabaseUnavailable if the pinned file was deleted or replaced."""
        if self._identity is not None and self._current() != self._identity:
            raise DatabaseUnavailable(
                f"DATABASE_URL: the SQLite database {self.path} was deleted or replaced while "
                "Tigerbird was running; stopped so that nothing is written into a deleted file "
                "(restore the file from a backup, then start again)"
            )


_WATCHES: WeakKeyDictionary[Engine, FileWatch] = WeakKeyDictionary()


def watch(engine: Engine, path: Path) -> FileWatch:
    """Watch `path` (checked with check_file first) for the engine (see the module docstring)."""
    file = _WATCHES[engine] = FileWatch(path)

    @event.listens_for(engine, "do_connect")
    def _before_connect(*_: Any) -> None:
        file.check()  # a vanished file must not be re-created empty by sqlite3.connect

    @event.listens_for(engine, "connect")
    def _connected(*_: Any) -> None:
        file.pin()

    @event.listens_for(engine, "checkout")
    def _checkout(*_: Any) -> None:
        file.check()

    return file


def file_watch(engine: Engine) -> FileWatch | None:
    return _WATCHES.get(engine)
