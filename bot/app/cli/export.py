"""`tigerbird export posts|responses --csv FILE`: the raw rows (members only by pseudonym)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bot.analytics.tables import write_csv
from bot.app.cli.common import load_settings, out, run_with_core, writable_file, write_or_fail
from bot.core.ports import POST_COLUMNS, RESPONSE_COLUMNS, UnitOfWorkFactory

app = typer.Typer(help="Export stored rows as CSV.", no_args_is_help=True)
CsvOption = Annotated[Path, typer.Option("--csv", help="The CSV file to write.")]


async def post_rows(uow: UnitOfWorkFactory) -> list[dict[str, str]]:
    """Every post as CSV-ready strings (any store: SQL or memory)."""
    async with uow() as u:
        return await u.exports.posts()


async def response_rows(uow: UnitOfWorkFactory) -> list[dict[str, str]]:
    """Every response as CSV-ready strings (any store: SQL or memory)."""
    async with uow() as u:
        return await u.exports.responses()


@app.command()
def posts(csv: CsvOption) -> None:
    """Every post: channel, prompt, times, status and recorded outcome."""
    settings = load_settings()
    writable_file(csv, "--csv")
    rows = run_with_core(settings, lambda core: post_rows(core.uow))
    write_or_fail(csv, "--csv", lambda path: write_csv(path, POST_COLUMNS, rows))
    out.print(f"wrote {len(rows)} posts to {escape(str(csv))}")


@app.command()
def responses(csv: CsvOption) -> None:
    """Every reaction and reply, with the member's pseudonymous key."""
    settings = load_settings()
    writable_file(csv, "--csv")
    rows = run_with_core(settings, lambda core: response_rows(core.uow))
    write_or_fail(csv, "--csv", lambda path: write_csv(path, RESPONSE_COLUMNS, rows))
    out.print(f"wrote {len(rows)} responses to {escape(str(csv))}")
