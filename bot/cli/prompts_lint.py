"""`tigerbird prompts lint [PATH…]`: check packs and import files without touching the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from bot.domain import PromptDraft
from bot.library import PackError, PackLoadError, lint_drafts, load_packs, load_prompt_file

DEFAULT_PATHS = [Path("prompts")]


def _load(path: Path, category: str | None) -> tuple[list[PromptDraft], list[PackError], int]:
    """Drafts, load errors and the number of files read from one file or directory."""
    try:
        if path.is_dir():
            packs = load_packs(path)
            return [d for pack in packs for d in pack.drafts], [], len(packs)
        return load_prompt_file(path, category), [], 1
    except PackLoadError as exc:
        return [], exc.issues, 1


def _section(console: Console, title: str, lines: list[str], style: str) -> None:
    console.print(Text(f"{title} ({len(lines)})", style=f"bold {style}"))
    for line in lines:
        console.print(Text(f"  {line}", style=style))


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
    drafts: list[PromptDraft] = []
    errors: list[str] = []
    files = 0
    for path in paths or DEFAULT_PATHS:
        found, issues, count = _load(path, category)
        drafts += found
        errors += [str(issue) for issue in issues]
        files += count
    report = lint_drafts(drafts)
    errors += [str(finding) for finding in report.errors]
    warnings = [str(finding) for finding in report.warnings]
    if errors:
        _section(console, "Errors", errors, "red")
    if warnings:
        _section(console, "Warnings", warnings, "yellow")
    summary = (
        f"{len(drafts)} prompts in {files} file(s): {len(errors)} errors, {len(warnings)} warnings"
    )
    console.print(Text(summary, style="bold red" if errors else "bold green"))
    if errors:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add `lint` to the `prompts` sub-app."""
    app.command("lint")(lint)
