"""The suggestion review queue from the dashboard: each waiting suggestion with the
near-duplicate warning, approve, and reject with a reason that is sent to the member.

Deciding goes through the same core path as the chat buttons (Access.decide: the community's
own pending suggestion, first decision wins); the member is told through `MemberMessenger`
when the deployment provides one, and every decision is audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.core.authz import Access, Caller
from bot.core.domain import PlatformName, Prompt, PromptStatus
from bot.core.invocations import CommandError
from bot.core.library_health import load_health_settings
from bot.core.ports import UnitOfWorkFactory
from bot.core.text import neutralise_mentions
from bot.library import DuplicatePair, lint_text, near_duplicates
from bot.service_layer.audit_trail import AuditTrail
from bot.service_layer.suggestion_edits import SuggestionEdits

REASON_LIMIT = 500
MemberMessenger = Callable[[PlatformName, str, str, str], Awaitable[bool]]
"""Send (platform, community external id, member id, text) as a direct message; True if sent."""


@dataclass(frozen=True)
class Suggestion:
    prompt: Prompt
    near: DuplicatePair | None  # the closest prompt already in the library, if too close
    warnings: tuple[str, ...]  # the linter's warnings about the text


@dataclass(frozen=True)
class Decision:
    prompt: Prompt
    member_told: bool  # the suggester got the direct message


def _closest_in_library(
    waiting: list[Prompt], library: list[tuple[str, str]]
) -> dict[str, DuplicatePair]:
    """For each suggestion (by key), the most similar library prompt at or above the
    near-duplicate threshold: one indexed pass over all of them (bot.library.similarity),
    not one pass over the library per suggestion."""
    if not waiting or not library:
        return {}
    own = {p.key for p in waiting}
    items = [(p.key, p.text) for p in waiting] + [i for i in library if i[0] not in own]
    best: dict[str, DuplicatePair] = {}
    for pair in near_duplicates(items):  # most similar first
        for mine, text, other, other_text in (
            (pair.first_key, pair.first_text, pair.second_key, pair.second_text),
            (pair.second_key, pair.second_text, pair.first_key, pair.first_text),
        ):
            if mine in own and other not in own and mine not in best:
                best[mine] = DuplicatePair("", text, other, other_text, pair.similarity)
    return best


class SuggestionReview:
    """Approve / reject the caller's community's suggestions (managers only)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        access: Access,
        audit: AuditTrail,
        messenger: MemberMessenger | None = None,
    ) -> None:
        self.uow = uow
        self.access = access
        self.audit = audit
        self.messenger = messenger

    async def queue(self, caller: Caller) -> list[Suggestion]:
        """Every suggestion waiting, oldest first, each with its near-duplicate warning."""
        waiting = await self.access.pending(caller)
        async with self.uow() as u:
            active = await u.prompts.all(PromptStatus.ACTIVE, caller.community.id)
            health = await load_health_settings(u.state, caller.community.id)
        if health.anonymous_suggestions:  # the reviewers are not shown who suggested it
            waiting = [replace(p, suggested_by=None) for p in waiting]
        near = _closest_in_library(waiting, [(p.key, p.text) for p in active])
        return [
            Suggestion(
                p,
                near.get(p.key),
                tuple(f.message for f in lint_text(p.text) if f.severity == "warning"),
            )
            for p in waiting
        ]

    async def approve(self, caller: Caller, prompt_id: int) -> Decision:
        prompt = await self.access.decide(caller, prompt_id, PromptStatus.ACTIVE)
        await self.audit.record(
            caller, "suggestion.approve", f"prompt #{prompt.id} approved: {prompt.text}"
        )
        told = await self._tell(caller, prompt, "Your Tigerbird suggestion was approved!")
        return Decision(prompt, told)

    async def edit(
        self, caller: Caller, prompt_id: int, text: str, category: str | None = None
    ) -> Prompt:
        """Fix a waiting suggestion's text (and category) before deciding on it."""
        self.access.require_manager(caller)
        prompt, _ = await SuggestionEdits(self.uow).edit(caller, prompt_id, text, category)
        await self.audit.record(
            caller, "suggestion.edit", f"prompt #{prompt.id} edited: {prompt.text}"
        )
        return prompt

    async def reject(self, caller: Caller, prompt_id: int, reason: str) -> Decision:
        why = " ".join(reason.split())
        if len(why) > REASON_LIMIT:
            raise CommandError(f"reason: at most {REASON_LIMIT} characters ({len(why)} given)")
        prompt = await self.access.decide(caller, prompt_id, PromptStatus.REJECTED)
        why = why or "no reason given"
        await self.audit.record(
            caller, "suggestion.reject", f"prompt #{prompt.id} rejected ({why}): {prompt.text}"
        )
        text = f"Your suggestion “{prompt.text}” was not taken: {why}"
        return Decision(prompt, await self._tell(caller, prompt, text))

    async def _tell(self, caller: Caller, prompt: Prompt, text: str) -> bool:
        if self.messenger is None or not prompt.suggested_by:
            return False
        community = caller.community
        return await self.messenger(
            community.platform,
            community.external_id,
            prompt.suggested_by,
            neutralise_mentions(text),
        )
