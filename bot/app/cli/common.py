"""Shared CLI plumbing: settings with readable errors, a service over the database, exits."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from bot.app.bootstrap import Core, build_core, open_database
from bot.app.settings import Settings
from bot.app.startup_errors import StartupError
from bot.engagement.members import MemberKeyMismatch
from bot.library import LibraryError
from bot.storage.sqlite_file import DatabaseUnavailable

T = TypeVar("T")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def fail(message: str) -> NoReturn:
    """One clear line on stderr and a non-zero exit, never a traceback."""
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    raise typer.Exit(2)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = []
        for item in error.errors():
            message = item["msg"].removeprefix("Value error, ")
            # A check across settings (no single field) names the settings in its message.
            problems.append(f"{str(item['loc'][0]).upper()}: {message}" if item["loc"] else message)
        fail("; ".join(problems))


@asynccontextmanager
async def core_session(settings: Settings) -> AsyncIterator[Core]:
    engine, uow = await open_database(settings)
    try:
        yield await build_core(uow, settings)
    finally:
        await engine.dispose()


def run_with_core(settings: Settings, work: Callable[[Core], Awaitable[T]]) -> T:
    async def main() -> T:
        async with core_session(settings) as core:
            return await work(core)

    return run_async(main())


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine`; a failure at start-up is one line labelled by its cause."""
    try:
        return asyncio.run(coroutine)
    except LibraryError as error:
        fail(error.one_line())
    except (DatabaseUnavailable, MemberKeyMismatch) as error:
        fail(str(error))
    except StartupError as error:
        fail(str(error))


def writable_file(path: Path | None, option: str) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    if path is None:
        return
    folder = path.parent
    if path.is_dir():
        fail(f"{option}: {path} is a folder; give a file name")
    if not folder.is_dir():
        fail(f"{option}: folder {folder} does not exist (for {path})")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        fail(f"{option}: cannot write {path} (permission denied)")


def write_or_fail(path: Path, option: str, write: Callable[[Path], object]) -> None:
    """Write an output file; a failure (disk full, a folder removed meanwhile) is one line."""
    try:
        write(path)
    except OSError as error:
        fail(f"{option}: cannot write {path} ({error.strerror or error})")


# Machine formats are never wrapped: YAML lines as long as the text they hold.
UNWRAPPED = 1_000_000


def write_raw(text: str) -> None:
    """A machine format (CSV, YAML, JSON) to stdout as is: not through rich, which would
    wrap it at the terminal's width and read `[...]` as markup."""
    sys.stdout.write(text)
    sys.stdout.flush()
