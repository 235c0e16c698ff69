"""Shared CLI plumbing: settings with readable errors, a service over the database, exits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from bot.bootstrap import Core, build_core, open_database
from bot.library import LibraryError
from bot.members import MemberKeyMismatch
from bot.settings import Settings
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
            name = str(item["loc"][0]).upper() if item["loc"] else "setting"
            problems.append(f"{name}: {item['msg'].removeprefix('Value error, ')}")
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
    try:
        return asyncio.run(coroutine)
    except LibraryError as error:
        fail(error.one_line())
    except (DatabaseUnavailable, MemberKeyMismatch) as error:
        fail(str(error))
    except OSError as error:
        fail(f"database: {error}")
