"""Managing a community's library from the dashboard: browse and search with each prompt's
record, add, edit, retire and restore. Shared prompts are read by every community and edited
by none (their packs are); a community edits only its own. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.authz import Access, Caller, no_prompt
from bot.core.domain import Prompt, PromptDraft, PromptSource, PromptStatus
from bot.core.invocations import CommandError
from bot.core.ports import LibraryQuery, PromptRecord, UnitOfWorkFactory
from bot.library import CATEGORIES, closest, import_key, lint_text
from bot.library.report import library_items
from bot.service_layer.audit_trail import AuditTrail

PAGE_SIZE = 50
STATUSES = {"active": PromptStatus.ACTIVE, "retired": PromptStatus.RETIRED, "all": None}


@dataclass(frozen=True)
class LibraryRow:
    prompt: Prompt
    record: PromptRecord  # zero counts when never posted in this community

    @property
    def own(self) -> bool:
        return self.prompt.community_id is not None


@dataclass(frozen=True)
class LibraryPage:
    rows: tuple[LibraryRow, ...]
    page: int
    pages: int
    total: int


def check_category(category: str) -> str:
    value = category.strip().lower()
    if value not in CATEGORIES:
        raise CommandError(f"category: '{category}' is unknown; use one of {_categories()}")
    return value


def _categories() -> str:
    return ", ".join(sorted(CATEGORIES))


def checked_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Lint manager-written text: errors refuse it, warnings travel along."""
    text = " ".join(text.split())
    if not text:
        raise CommandError("text: must not be empty")
    findings = lint_text(text)
    errors = [f.message for f in findings if f.severity == "error"]
    if errors:
        raise CommandError("text: that prompt can't be used: " + "; ".join(errors))
    return text, tuple(f.message for f in findings if f.severity == "warning")


class LibraryManagement:
    """The library use cases of the dashboard, scoped to the caller's community and audited."""

    def __init__(self, uow: UnitOfWorkFactory, access: Access, audit: AuditTrail) -> None:
        self.uow = uow
        self.access = access
        self.audit = audit

    async def browse(
        self,
        caller: Caller,
        text: str = "",
        category: str = "",
        status: str = "active",
        page: int = 1,
        size: int = PAGE_SIZE,
    ) -> LibraryPage:
        """One page of the prompts the community can post (shared and its own), filtered by
        text, category and status, each with its record in this community."""
        self.access.require_manager(caller)
        if status not in STATUSES:
            raise CommandError(f"status: '{status}' is not one of {', '.join(STATUSES)}")
        wanted = check_category(category) if category.strip() else None
        query = LibraryQuery(caller.community.id, STATUSES[status], wanted, text.strip()[:200])
        async with self.uow() as u:
            total = await u.library.count(query)
            pages = max(1, -(-total // size))
            page = min(max(page, 1), pages)
            prompts = await u.library.search(query, (page - 1) * size, size)
            records = await u.library.records(caller.community.id, [p.id for p in prompts])
        rows = tuple(LibraryRow(p, records.get(p.id, PromptRecord(p.id, 0, 0, 0))) for p in prompts)
        return LibraryPage(rows, page, pages, total)

    async def _own(self, caller: Caller, prompt_id: int) -> Prompt:
        self.access.require_manager(caller)
        prompt = await self.access.prompt(caller, prompt_id)
        if prompt.community_id is None:
            raise CommandError(
                f"Prompt #{prompt_id} is a shared prompt: edit its pack instead; "
                "a community edits and retires only its own prompts."
            )
        if prompt.status not in (PromptStatus.ACTIVE, PromptStatus.RETIRED):
            raise no_prompt(prompt_id)  # pending/rejected suggestions live in the review queue
        return prompt

    async def _library_texts(
        self, caller: Caller, skip: int | None = None
    ) -> list[tuple[str, str]]:
        async with self.uow() as u:
            prompts = await u.prompts.all(PromptStatus.ACTIVE, caller.community.id)
        return library_items(p for p in prompts if p.id != skip)

    async def add(self, caller: Caller, text: str, category: str) -> tuple[Prompt, tuple[str, ...]]:
        """Add one of the community's own prompts; too close to one already in its library
        is refused, naming it. Returns the prompt and the linter's warnings."""
        self.access.require_manager(caller)
        text, warnings = checked_text(text)
        category = check_category(category)
        near = closest(text, await self._library_texts(caller))
        if near is not None:
            raise CommandError(f"text: too close to an existing prompt: “{near.second_text}”")
        community_id = caller.community.id
        key = f"custom/{community_id}/{import_key(text).removeprefix('import/')}"
        async with self.uow() as u:
            if await u.prompts.by_key(key) is not None:
                raise CommandError("text: that prompt is already in the library")
            prompt = await u.prompts.add(
                PromptDraft(key, text, category), PromptSource.CUSTOM, community_id=community_id
            )
            await self.audit.note(
                u, caller, "prompt.add", f"prompt #{prompt.id} [{category}]: {text}"
            )
            await u.commit()
        return prompt, warnings

    async def edit(self, caller: Caller, prompt_id: int, text: str, category: str) -> Prompt:
        """Change the text and category of one of the community's own prompts (its history
        stays with it)."""
        prompt = await self._own(caller, prompt_id)
        text, _ = checked_text(text)
        category = check_category(category)
        near = closest(text, await self._library_texts(caller, skip=prompt.id))
        if near is not None:
            raise CommandError(f"text: too close to an existing prompt: “{near.second_text}”")
        changed = replace(prompt, text=text, category=category)
        async with self.uow() as u:
            await u.prompts.update(changed)
            await self.audit.note(
                u, caller, "prompt.edit", f"prompt #{prompt.id} [{category}]: {text}"
            )
            await u.commit()
        return changed

    async def set_retired(self, caller: Caller, prompt_id: int, retired: bool) -> Prompt:
        """Retire one of the community's own prompts (never posted again) or restore it."""
        prompt = await self._own(caller, prompt_id)
        status = PromptStatus.RETIRED if retired else PromptStatus.ACTIVE
        changed = replace(prompt, status=status)
        async with self.uow() as u:
            await u.prompts.update(changed)
            action = "prompt.retire" if retired else "prompt.restore"
            await self.audit.note(u, caller, action, f"prompt #{prompt.id}: {prompt.text}")
            await u.commit()
        return changed
