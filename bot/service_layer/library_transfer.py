"""Importing a pack or CSV into a community's library from the dashboard, and exporting it.

An upload is read and linted exactly as `tigerbird prompts import` reads files (YAML pack,
CSV text,category,tags, or plain text); any error refuses the whole file and is reported as
`file:line: field: message`, so nothing is half-imported. Imported prompts belong to the
community (their keys are prefixed with it), never to the shared library."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from bot.core.authz import Access, Caller
from bot.core.domain import Prompt, PromptDraft, PromptSource, PromptStatus
from bot.core.invocations import CommandError
from bot.core.ports import UnitOfWorkFactory
from bot.library import TooManyPrompts, lint_drafts, read_sources
from bot.library.export import EXPORT_FORMATS, export_text
from bot.library.importer import apply_drafts
from bot.library.limits import MAX_FILE_BYTES
from bot.library.report import library_items
from bot.service_layer.audit_trail import AuditTrail

SUFFIXES = (".yaml", ".yml", ".csv", ".txt")


@dataclass
class ImportOutcome:
    """What an upload did: the prompts added or updated, those left as they were, or the
    errors (file:line: …) that refused the whole file."""

    added: list[Prompt] = field(default_factory=list)
    updated: list[Prompt] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _upload_name(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name.strip()
    if not name or not name.lower().endswith(SUFFIXES):
        raise CommandError(f"file: '{name or filename}' must end in {', '.join(SUFFIXES)}")
    return name


class LibraryTransfer:
    """Import into and export from the caller's community library (managers only)."""

    def __init__(self, uow: UnitOfWorkFactory, access: Access, audit: AuditTrail) -> None:
        self.uow = uow
        self.access = access
        self.audit = audit

    async def import_file(
        self,
        caller: Caller,
        filename: str,
        content: bytes,
        category: str | None = None,
        update: bool = False,
    ) -> ImportOutcome:
        self.access.require_manager(caller)
        name = _upload_name(filename)
        if len(content) > MAX_FILE_BYTES:
            mb = MAX_FILE_BYTES // 1_000_000
            return ImportOutcome(errors=[f"{name}:1: file: at most {mb} MB per file; split it"])
        with tempfile.TemporaryDirectory(prefix="tigerbird-upload-") as folder:
            path = Path(folder) / name
            path.write_bytes(content)
            sources = read_sources([path], category or None)
        where = {p.draft.key: f"{name}:{p.line}" for p in sources.prompts}
        if sources.issues:
            return ImportOutcome(errors=[str(replace(i, path=name)) for i in sources.issues])
        prefix = f"community/{caller.community.id}/"
        drafts = [replace(d, key=prefix + d.key) for d in sources.drafts]
        where = {prefix + key: place for key, place in where.items()}
        async with self.uow() as u:
            library = await u.prompts.all(PromptStatus.ACTIVE, caller.community.id)
        try:
            report = lint_drafts(drafts, library_items(library))
        except TooManyPrompts as error:
            return ImportOutcome(errors=[f"{name}:1: prompts: {error}"])
        found = [
            f"{where.get(f.key, name)}: {f.finding.rule_id}: {f.finding.message}"
            for f in report.errors
        ]
        warnings = [
            f"{where.get(f.key, name)}: {f.finding.rule_id}: {f.finding.message}"
            for f in report.warnings
        ]
        if found:
            return ImportOutcome(errors=found, warnings=warnings)
        return await self._store(caller, name, drafts, update, warnings)

    async def _store(
        self,
        caller: Caller,
        name: str,
        drafts: list[PromptDraft],
        update: bool,
        warnings: list[str],
    ) -> ImportOutcome:
        async with self.uow() as u:
            result = await apply_drafts(
                u, drafts, PromptSource.CUSTOM, update, community_id=caller.community.id
            )
            outcome = ImportOutcome(
                added=result.added,
                updated=result.updated,
                unchanged=len(result.left),
                warnings=warnings,
            )
            detail = (
                f"{name}: {len(outcome.added)} added, {len(outcome.updated)} updated, "
                f"{outcome.unchanged} left as they were"
            )
            await self.audit.note(u, caller, "library.import", detail)
            await u.commit()
        return outcome

    async def export(self, caller: Caller, format: str) -> str:
        """The community's active library (shared and own prompts) as a YAML pack or CSV,
        raw (a machine format: nothing escaped)."""
        self.access.require_manager(caller)
        if format not in EXPORT_FORMATS:
            raise CommandError(f"format: '{format}' is not one of {', '.join(EXPORT_FORMATS)}")
        async with self.uow() as u:
            prompts = await u.prompts.all(PromptStatus.ACTIVE, caller.community.id)
        return export_text(prompts, format)


def _content(p: Prompt | PromptDraft) -> tuple[object, ...]:
    return (p.text, p.category, p.tags, p.choices, p.variants)
