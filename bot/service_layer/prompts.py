"""Prompt use cases: sync the built-in packs, add and import, look up, review and list prompts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.core.domain import Prompt, PromptDraft, PromptSource, PromptStatus
from bot.library.importer import ImportResult, import_drafts
from bot.service_layer.base import NotFound, ServiceBase


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0


class PromptUseCases(ServiceBase):
    """The prompt library as the operator and the chat commands see it."""

    async def sync_library(self, drafts: Sequence[PromptDraft]) -> SyncReport:
        """Make the built-in prompts match the packs: add new, update edited, retire removed."""
        wanted = {d.key: d for d in drafts}
        added = updated = retired = unchanged = 0
        async with self.uow() as u:
            stored = {p.key: p for p in await u.prompts.all(status=None, include_global=True)}
            for key, draft in wanted.items():
                prompt = stored.get(key)
                if prompt is None:
                    await u.prompts.add(draft, PromptSource.BUILTIN)
                    added += 1
                    continue
                fresh = replace(
                    prompt,
                    text=draft.text,
                    category=draft.category,
                    tags=draft.tags,
                    choices=draft.choices,
                    variants=draft.variants,
                    pack=draft.pack,
                    status=PromptStatus.ACTIVE,
                )
                if fresh != prompt:
                    await u.prompts.update(fresh)
                    updated += 1
                else:
                    unchanged += 1
            for key, prompt in stored.items():
                gone = key not in wanted and prompt.source is PromptSource.BUILTIN
                if gone and prompt.status is PromptStatus.ACTIVE:
                    await u.prompts.update(replace(prompt, status=PromptStatus.RETIRED))
                    retired += 1
            await u.commit()
        return SyncReport(added, updated, retired, unchanged)

    async def add_prompts(
        self,
        drafts: Sequence[PromptDraft],
        source: PromptSource = PromptSource.CUSTOM,
        community_id: int | None = None,
        status: PromptStatus = PromptStatus.ACTIVE,
        suggested_by: str | None = None,
    ) -> list[Prompt]:
        """Store new prompts; a draft whose key exists already is left as it is."""
        added = []
        async with self.uow() as u:
            for draft in drafts:
                if await u.prompts.by_key(draft.key) is None:
                    added.append(
                        await u.prompts.add(draft, source, status, community_id, suggested_by)
                    )
            await u.commit()
        return added

    async def get_prompt(self, prompt_id: int) -> Prompt:
        """Any community's prompt (the operator's view); chat, buttons and any web door load
        prompts through bot.core.authz.Access, within the caller's community."""
        async with self.uow() as u:
            prompt = await u.prompts.get(prompt_id)
        if prompt is None:
            raise NotFound(f"no prompt with id {prompt_id}")
        return prompt

    async def set_prompt_status(self, prompt_id: int, status: PromptStatus) -> Prompt:
        """The operator's change, unscoped; a community reviews through Access.decide."""
        async with self.uow() as u:
            prompt = await u.prompts.get(prompt_id)
            if prompt is None:
                raise NotFound(f"no prompt with id {prompt_id}")
            prompt.status = status
            await u.prompts.update(prompt)
            await u.commit()
        return prompt

    async def list_prompts(
        self, status: PromptStatus | None = PromptStatus.ACTIVE, community_id: int | None = None
    ) -> list[Prompt]:
        """A community's prompts plus the global ones; without a community, every prompt."""
        async with self.uow() as u:
            return await u.prompts.all(
                status, community_id, include_global=community_id is not None
            )

    async def import_prompts(
        self, drafts: Sequence[PromptDraft], update: bool = False
    ) -> ImportResult:
        """The operator's import (bot.library.importer): new keys are added; with `update`, a
        stored custom prompt with the same key takes the draft's text."""
        return await import_drafts(self.uow, drafts, update=update)
