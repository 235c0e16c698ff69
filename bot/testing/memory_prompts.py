"""The in-memory prompt repository (see bot.testing.memory)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from bot.core.domain import Prompt, PromptDraft, PromptSource, PromptStatus
from bot.testing.memory_state import MemoryState


class MemoryPrompts:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def get(self, prompt_id: int) -> Prompt | None:
        return copy.deepcopy(self._s.prompts.get(prompt_id))

    async def by_key(self, key: str) -> Prompt | None:
        return next((copy.deepcopy(p) for p in self._s.prompts.values() if p.key == key), None)

    async def add(
        self,
        draft: PromptDraft,
        source: PromptSource,
        status: PromptStatus = PromptStatus.ACTIVE,
        community_id: int | None = None,
        suggested_by: str | None = None,
    ) -> Prompt:
        if await self.by_key(draft.key):
            raise ValueError(f"duplicate prompt key {draft.key}")
        prompt = Prompt(
            self._s.new_id(),
            draft.key,
            draft.text,
            draft.category,
            draft.tags,
            draft.choices,
            source,
            status,
            community_id,
            draft.pack,
            suggested_by,
            datetime.now(UTC),
            draft.variants,
        )
        self._s.prompts[prompt.id] = prompt
        return copy.deepcopy(prompt)

    async def update(self, prompt: Prompt) -> None:
        self._s.prompts[prompt.id] = copy.deepcopy(prompt)

    async def all(
        self,
        status: PromptStatus | None = PromptStatus.ACTIVE,
        community_id: int | None = None,
        include_global: bool = True,
    ) -> list[Prompt]:
        def in_scope(p: Prompt) -> bool:
            return (include_global and p.community_id is None) or (
                community_id is not None and p.community_id == community_id
            )

        return [
            copy.deepcopy(p)
            for p in sorted(self._s.prompts.values(), key=lambda p: p.id)
            if (status is None or p.status == status)
            and (in_scope(p) or (not include_global and community_id is None))
        ]

    async def change_status(
        self, prompt_id: int, community_id: int, expected: PromptStatus, new: PromptStatus
    ) -> bool:
        prompt = self._s.prompts.get(prompt_id)
        if prompt is None or prompt.community_id != community_id or prompt.status != expected:
            return False
        prompt.status = new
        return True
