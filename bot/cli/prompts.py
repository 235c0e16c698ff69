"""`tigerbird prompts …`: import, list, stats, export (and lint, from the library)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table

from bot.bootstrap import Core
from bot.cli import prompts_lint
from bot.cli.common import (
    UNWRAPPED,
    fail,
    load_settings,
    out,
    run_with_core,
    writable_file,
    write_or_fail,
    write_raw,
)
from bot.domain import PromptDraft, PromptSource, PromptStatus
from bot.library import PackLoadError, lint_drafts, load_prompt_file

app = typer.Typer(help="The prompt library.", no_args_is_help=True)
prompts_lint.register(app)


@app.command("import")
def import_prompts(
    paths: list[Path],
    category: Annotated[str | None, typer.Option(help="Category for plain-text files.")] = None,
) -> None:
    """Add prompts from YAML packs, CSV (text,category,tags) or text files (one per line)."""
    drafts: list[PromptDraft] = []
    try:
        for path in paths:
            drafts.extend(load_prompt_file(path, category))
    except PackLoadError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{error.filename}: {error.strerror}")

    async def work(core: Core) -> None:
        library = [(p.key, p.text) for p in await core.service.list_prompts()]
        report = lint_drafts(drafts, library)
        if not report.ok:
            fail("nothing imported:\n" + "\n".join(str(e) for e in report.errors))
        added = await core.service.add_prompts(drafts, PromptSource.CUSTOM)
        out.print(f"imported {len(added)} prompt(s); {len(drafts) - len(added)} already present")

    run_with_core(load_settings(), work)


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
                table.add_row(str(p.id), p.category, p.source.value, p.status.value, p.text)
        out.print(table)

    run_with_core(load_settings(), work)


@app.command()
def stats() -> None:
    """Counts per category and pack, and eligible prompts left per schedule."""

    async def work(core: Core) -> None:
        prompts = await core.service.list_prompts()
        table = Table("category", "prompts")
        for name, count in sorted(Counter(p.category for p in prompts).items()):
            table.add_row(name, str(count))
        out.print(table)
        packs = Table("pack", "prompts")
        for name, count in sorted(Counter(p.pack or p.source.value for p in prompts).items()):
            packs.add_row(name, str(count))
        out.print(packs)
        left = Table("schedule", "channel", "eligible left")
        for s in await core.service.list_schedules():
            left.add_row(str(s.id), s.channel, str(await core.service.eligible_count(s.id)))
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
        prompts = await core.service.list_prompts()
        if format == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["text", "category", "tags"])
            for p in prompts:
                writer.writerow([p.text, p.category, ";".join(p.tags)])
            return buffer.getvalue()
        pack = {
            "pack": {
                "id": "export",
                "name": "Export",
                "description": "Exported library",
                "language": "en",
                "license": "CC-BY-4.0",
            },
            "prompts": [
                {
                    "id": f"p{p.id}",
                    "text": p.text,
                    "category": p.category,
                    "tags": list(p.tags),
                    **(
                        {"choices": [{"emoji": c.emoji, "label": c.label} for c in p.choices]}
                        if p.choices
                        else {}
                    ),
                }
                for p in prompts
            ],
        }
        return str(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False, width=UNWRAPPED))

    text = run_with_core(load_settings(), work)
    if output:
        write_or_fail(output, "--output", lambda path: path.write_text(text, encoding="utf-8"))
    else:
        write_raw(text)
