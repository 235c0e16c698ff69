"""Tests read nothing outside the repository: an audit hook records every file a test opens.

Allowed: the repository, the temporary directories, the Python installation (sys.prefix,
base_prefix, site-packages), the system files libraries need (/dev, /proc, /sys, /etc, /usr)
and libraries' caches under the home folder. A test that opens anything else fails at
teardown, naming the paths; an open outside any test (at collection) fails the session.
Loaded by tests/conftest.py, or with `-p tests.outside_reads`.
"""

from __future__ import annotations

import getpass
import os
import site
import sys
import sysconfig
import tempfile
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
EVENTS = {"open", "os.listdir", "os.scandir"}
SYSTEM = ("/dev", "/proc", "/sys", "/etc", "/usr", "/lib", "/lib64", "/run", "/var/db/zoneinfo")
# Libraries' own caches and settings under the home folder (matplotlib's font list, fontconfig).
HOME_CACHES = (
    "~/.cache",
    "~/.config/matplotlib",
    "~/.matplotlib",
    "~/.fonts",
    "~/.local/share/fonts",
)


def _allowed_roots() -> tuple[str, ...]:
    roots = {str(REPO_ROOT), os.path.realpath(tempfile.gettempdir()), tempfile.gettempdir()}
    roots.add(os.path.join(tempfile.gettempdir(), f"pytest-of-{getpass.getuser()}"))
    roots |= {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots |= {p for p in sysconfig.get_paths().values() if p}
    roots |= set(site.getsitepackages()) | {site.getusersitepackages()}
    roots |= {os.path.expanduser(p) for p in HOME_CACHES}
    roots |= set(zoneinfo.TZPATH)  # the system's timezone data, wherever this OS keeps it
    roots |= {os.path.realpath(r) for r in list(roots)}
    return (*sorted(roots), *SYSTEM)


ALLOWED = _allowed_roots()
_seen: list[str] = []
_active = False


BESIDE = str(REPO_ROOT.parent)


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def is_outside(path: str) -> bool:
    """True for a path outside every allowed root, or beside the repository: a clone inside
    an allowed root (/tmp/x/repo) still may not read its neighbours (/tmp/x/shared), only the
    allowed roots nested there (the repository itself, pytest's temporary folders)."""
    full = os.path.normpath(os.path.join(os.getcwd(), path))
    inside = [root for root in ALLOWED if _under(full, root)]
    if not _under(full, BESIDE):
        return not inside
    return not any(_under(root, BESIDE) and root != BESIDE for root in inside)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _active or event not in EVENTS or not args:
        return
    path = args[0]
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, str) and is_outside(path):
        _seen.append(path)


sys.addaudithook(_hook)


def pytest_configure(config: pytest.Config) -> None:
    global _active
    _active = True


@pytest.fixture(autouse=True)
def _no_reads_outside_the_repository() -> Iterator[None]:
    """Fails the test that opened a file outside the repository (see the module docstring)."""
    before = len(_seen)
    yield
    opened = _seen[before:]
    del _seen[before:]
    if opened:
        pytest.fail(f"read outside the repository: {sorted(set(opened))}", pytrace=False)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _seen:
        writer = session.config.get_terminal_writer()
        writer.line()
        writer.line(f"read outside the repository outside a test: {sorted(set(_seen))}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
