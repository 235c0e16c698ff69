"""A/B wordings as managers see and settle them: each wording's record, and promoting one.

Promotion is scoped to the caller's community. A community's own prompt is rewritten: the
promoted wording becomes its main text and the old main text takes that wording's place among
the variants. A shared (pack) prompt belongs to every community, so promoting one of its
wordings pins it for the caller's community only: that community posts the promoted wording
from then on, every other community keeps testing, and a pack sync never undoes the pin.
Every promotion is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.authz import Access, Caller, no_prompt
from bot.core.domain import Prompt
from bot.core.invocations import CommandError
from bot.core.ports import UnitOfWork, UnitOfWorkFactory, WordingRecord
from bot.core.wordings import (
    pin_state_key,
    promoted,
    wording_index,
    wording_key,
    wording_label,
    wordings_of,
)
from bot.service_layer.audit_trail import AuditTrail


@dataclass(frozen=True)
class WordingData:
    """A prompt, its wordings' records (by key) and the key pinned in the caller's community
    (None: none pinned, the policy chooses)."""

    prompt: Prompt
    records: dict[str, WordingRecord]
    pinned: str | None


class WordingManagement:
    """Reading and promoting wordings, within the caller's community."""

    def __init__(self, uow: UnitOfWorkFactory, access: Access, audit: AuditTrail) -> None:
        self.uow = uow
        self.access = access
        self.audit = audit

    async def data(self, caller: Caller, prompt_id: int) -> WordingData:
        """The prompt's wordings with their records in the caller's community."""
        self.access.require_manager(caller)
        prompt = await self.access.prompt(caller, prompt_id)
        async with self.uow() as u:
            records = await u.library.wording_records(prompt.id, caller.community.id)
            pinned = await _pinned(u, caller, prompt)
        return WordingData(prompt, records, pinned)

    async def everywhere(self, prompt_id: int) -> WordingData:
        """The operator's view (the CLI on the host): the prompt's wordings with their records
        in every community, as the wording policy pools them; nothing is pinned everywhere."""
        async with self.uow() as u:
            prompt = await u.prompts.get(prompt_id)
            if prompt is None:
                raise no_prompt(prompt_id)
            records = await u.library.wording_records(prompt.id, None)
        return WordingData(prompt, records, None)

    async def promote(self, caller: Caller, prompt_id: int, label: str) -> str:
        """Make wording `label` (A, B, C or 1..3) the one this community posts; returns what
        was done, in a sentence."""
        self.access.require_manager(caller)
        prompt = await self.access.prompt(caller, prompt_id)
        texts = wordings_of(prompt)
        if len(texts) < 2:
            raise CommandError(f"Prompt #{prompt.id} has one wording only: nothing to promote.")
        index = wording_index(label, len(texts))
        if index is None:
            allowed = ", ".join(wording_label(i) for i in range(len(texts)))
            raise CommandError(
                f"wording: '{label}' is not one of {allowed} for prompt #{prompt.id}"
            )
        chosen, label = texts[index], wording_label(index)
        async with self.uow() as u:
            if prompt.community_id is None:
                await u.state.put(
                    pin_state_key(caller.community.id, prompt.id), wording_key(chosen)
                )
                done = f"This community now posts wording {label} of prompt #{prompt.id}"
            else:
                text, variants = promoted(prompt, index)
                await u.prompts.update(replace(prompt, text=text, variants=variants))
                done = f"Wording {label} is now the main text of prompt #{prompt.id}"
            await self.audit.note(u, caller, "prompt.promote", f"{done}: {chosen}")
            await u.commit()
        return f"{done}: “{chosen}”."


async def _pinned(u: UnitOfWork, caller: Caller, prompt: Prompt) -> str | None:
    if prompt.community_id is not None:
        return None  # an own prompt's promotion rewrites it: nothing is pinned
    return await u.state.get(pin_state_key(caller.community.id, prompt.id))
