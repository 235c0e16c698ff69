"""`tigerbird prompts …`: import, list, stats, export (and lint, from the library)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from bot.app.bootstrap import Core
from bot.app.cli import prompts_lint
from bot.app.cli import wordings as wordings_cli
from bot.app.cli.common import (
    fail,
    load_settings,
    out,
    run_with_core,
    writable_file,
    write_or_fail,
    write_raw,
)
from bot.core.domain import PromptStatus
from bot.library import Located, TooManyPrompts, lint_drafts, read_sources
from bot.library.export import export_text
from bot.library.importer import ImportResult, Left
from bot.library.report import library_items

app = typer.Typer(help="The prompt library.", no_args_is_help=True)
prompts_lint.register(app)
wordings_cli.register(app)


# Identical prompts an import leaves are listed up to this many; other reasons always are.
_SAME_LISTED = 10


@app.command("import")
def import_prompts(
    paths: Annotated[
        list[Path], typer.Argument(help="Pack files, directories of packs, or .csv/.txt files.")
    ],
    category: Annotated[str | None, typer.Option(help="Category for plain-text files.")] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Replace text, category, tags and choices of prompts already stored under "
            "the same key (not built-in ones).",
        ),
    ] = False,
) -> None:
    """Add prompts from YAML packs (or folders of them), CSV (text,category,tags) or text files
    (one per line)."""
    sources = read_sources(paths, category)
    if sources.issues:
        fail("nothing imported:\n" + "\n".join(str(issue) for issue in sources.issues))
    where = {p.draft.key: p for p in sources.prompts}

    async def work(core: Core) -> ImportResult:
        library = library_items(await core.service.list_prompts())
        try:
            report = lint_drafts(sources.drafts, library)
        except TooManyPrompts as error:
            fail(str(error))
        if not report.ok:
            fail("nothing imported:\n" + "\n".join(str(e) for e in report.errors))
        return await core.service.import_prompts(sources.drafts, update=update)

    result = run_with_core(load_settings(), work)
    _print_import(result, where, sources.files)


def _print_import(result: ImportResult, where: dict[str, Located], files: int) -> None:
    summary = f"imported {len(result.added)} prompt(s) from {files} file(s)"
    if result.updated:
        summary += f", updated {len(result.updated)}"
    out.print(Text(f"{summary}; {len(result.left)} left as they were"), soft_wrap=True)
    same = [item for item in result.left if item[2] is Left.SAME]
    shown = [item for item in result.left if item[2] is not Left.SAME] + same[:_SAME_LISTED]
    for draft, stored, reason in shown:
        line = f"  {where[draft.key].where}: {draft.key}: {reason.value} (id {stored.id})"
        out.print(Text(line), soft_wrap=True)
    if len(same) > _SAME_LISTED:
        more = f"  … and {len(same) - _SAME_LISTED} more already present, identical"
        out.print(Text(more), soft_wrap=True)


@app.command("list")
def list_prompts(
    category: Annotated[str | None, typer.Option()] = None,
    all_statuses: Annotated[bool, typer.Option("--all", help="Include retired ones.")] = False,
) -> None:
    """The prompts in the library."""

    async def work(core: Core) -> None:
        table = Table("id", "category", "source", "status", "text")
        for p in await core.service.list_prompts(None if all_statuses else PromptStatus.ACTIVE):
            if category is None or p.category == category:
                table.add_row(
                    str(p.id), escape(p.category), p.source.value, p.status.value, escape(p.text)
                )
        out.print(table)

    run_with_core(load_settings(), work)


@app.command()
def stats() -> None:
    """Counts per category and pack, and eligible prompts left per schedule."""

    async def work(core: Core) -> None:
        prompts = await core.service.list_prompts()
        table = Table("category", "prompts")
        for name, count in sorted(Counter(p.category for p in prompts).items()):
            table.add_row(escape(name), str(count))
        out.print(table)
        packs = Table("pack", "prompts")
        for name, count in sorted(Counter(p.pack or p.source.value for p in prompts).items()):
            packs.add_row(escape(name), str(count))
        out.print(packs)
        left = Table("schedule", "channel", "eligible left")
        for s in await core.service.list_schedules():
            eligible = str(await core.service.eligible_count(s.id))
            left.add_row(str(s.id), escape(s.channel), eligible)
        out.print(left)

    run_with_core(load_settings(), work)


@app.command()
def export(
    format: Annotated[str, typer.Option(help="yaml or csv.")] = "yaml",
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Write the active library as a YAML pack or CSV."""
    if format not in ("yaml", "csv"):
        fail(f"--format: '{format}' is not one of yaml, csv")
    writable_file(output, "--output")

    async def work(core: Core) -> str:
        return export_text(await core.service.list_prompts(), format)

    text = run_with_core(load_settings(), work)
    if output:
        write_or_fail(output, "--output", lambda path: path.write_text(text, encoding="utf-8"))
    else:
        write_raw(text)
