"""Importing prompts into the shared library: what was added, updated or left, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from bot.core.domain import Prompt, PromptDraft, PromptSource
from bot.core.ports import UnitOfWork, UnitOfWorkFactory


class Left(Enum):
    """Why a draft was not added."""

    SAME = "already present, identical"
    OTHER = "already present with other text; --update replaces it"
    BUILTIN = "a built-in prompt with other text; edit its pack instead"


@dataclass
class ImportResult:
    added: list[Prompt] = field(default_factory=list)
    updated: list[Prompt] = field(default_factory=list)
    left: list[tuple[PromptDraft, Prompt, Left]] = field(default_factory=list)


def _content(p: Prompt | PromptDraft) -> tuple[object, ...]:
    return (p.text, p.category, p.tags, p.choices, p.variants)


async def import_drafts(
    uow: UnitOfWorkFactory,
    drafts: Sequence[PromptDraft],
    source: PromptSource = PromptSource.CUSTOM,
    update: bool = False,
) -> ImportResult:
    """Add drafts whose key is new; with `update`, give a stored non-built-in prompt with
    the same key the draft's text, category, tags and choices (its id and history stay)."""
    async with uow() as u:
        result = await apply_drafts(u, drafts, source, update)
        await u.commit()
    return result


async def apply_drafts(
    u: UnitOfWork,
    drafts: Sequence[PromptDraft],
    source: PromptSource,
    update: bool,
    community_id: int | None = None,
) -> ImportResult:
    """`import_drafts` inside an open unit of work (the caller commits); new prompts belong
    to `community_id` when one is given."""
    result = ImportResult()
    for draft in drafts:
        stored = await u.prompts.by_key(draft.key)
        if stored is None:
            result.added.append(await u.prompts.add(draft, source, community_id=community_id))
        elif _content(stored) == _content(draft):
            result.left.append((draft, stored, Left.SAME))
        elif stored.source is PromptSource.BUILTIN:
            result.left.append((draft, stored, Left.BUILTIN))
        elif update:
            fresh = replace(
                stored,
                text=draft.text,
                category=draft.category,
                tags=draft.tags,
                choices=draft.choices,
                variants=draft.variants,
            )
            await u.prompts.update(fresh)
            result.updated.append(fresh)
        else:
            result.left.append((draft, stored, Left.OTHER))
    return result
