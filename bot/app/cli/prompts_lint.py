"""`tigerbird prompts lint [PATH…]`: check packs and import files without touching the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from bot.library import Sources, TooManyPrompts, lint_drafts, read_sources
from bot.library.report import Progress as OnProgress

DEFAULT_PATHS = [Path("prompts")]
# Below this many prompts a lint takes about a second: no bar.
PROGRESS_FROM = 2_000


def progress_console() -> Console:
    """Where the progress bar goes: stderr, so stdout stays the report alone."""
    return Console(stderr=True)


def _section(console: Console, title: str, lines: list[str], style: str) -> None:
    console.print(Text(f"{title} ({len(lines)})", style=f"bold {style}"))
    for line in lines:
        console.print(Text(f"  {line}", style=style))


def _read(paths: list[Path], category: str | None) -> Sources:
    """Read the files; on a terminal a transient line names the file being read."""
    console = progress_console()
    if not console.is_terminal:
        return read_sources(paths, category)
    with console.status("reading…", spinner="line") as status:
        return read_sources(
            paths, category, on_file=lambda path: status.update(f"read {escape(str(path))}")
        )


@contextmanager
def _bar(sources: Sources) -> Iterator[OnProgress | None]:
    """A progress bar on a terminal for big inputs; nothing otherwise."""
    console = progress_console()
    if not console.is_terminal or len(sources.prompts) < PROGRESS_FROM:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        yield update


def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Pack files, directories of packs, or .csv/.txt files."),
    ] = None,
    category: Annotated[
        str | None, typer.Option(help="Category for .txt files (one prompt per line).")
    ] = None,
) -> None:
    """Lint prompt packs and import files: errors and warnings, exit code 1 on any error."""
    console = Console(highlight=False, soft_wrap=True)
    sources = _read(paths or DEFAULT_PATHS, category)
    errors = [str(issue) for issue in sources.issues]
    try:
        with _bar(sources) as progress:
            report = lint_drafts(sources.drafts, progress=progress)
    except TooManyPrompts as error:
        console.print(Text(f"error: {error}", style="bold red"))
        raise typer.Exit(code=1) from None
    errors += [str(finding) for finding in report.errors]
    warnings = [str(finding) for finding in report.warnings]
    if errors:
        _section(console, "Errors", errors, "red")
    if warnings:
        _section(console, "Warnings", warnings, "yellow")
    summary = (
        f"{len(sources.prompts)} prompts in {sources.files} file(s): "
        f"{len(errors)} errors, {len(warnings)} warnings"
    )
    console.print(Text(summary, style="bold red" if errors else "bold green"))
    if errors:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add `lint` to the `prompts` sub-app."""
    app.command("lint")(lint)
