"""Prompt commands from chat: a manager adds, a member suggests, a manager approves or rejects."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.authz import Access, Caller
from bot.core.domain import Community, PromptDraft, PromptSource, PromptStatus
from bot.core.invocations import CommandError, Invocation, Reply, Review
from bot.core.text import neutralise_mentions
from bot.library import CATEGORIES, closest, import_key, lint_text
from bot.library.report import library_items
from bot.service_layer.services import Tigerbird

DEFAULT_CATEGORY = "team-community"


def split_category(text: str) -> tuple[str, str]:
    """'What is your favourite sound? #small-joys' -> (text, 'small-joys')."""
    words = text.split()
    if words and words[-1].startswith("#") and len(words[-1]) > 1:
        category = words[-1][1:].lower()
        if category not in CATEGORIES:
            allowed = ", ".join(sorted(CATEGORIES))
            raise CommandError(f"category: '{category}' is unknown; use one of {allowed}")
        return " ".join(words[:-1]), category
    return text.strip(), DEFAULT_CATEGORY


def checked_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Lint member-written text: errors refuse it, warnings travel along."""
    findings = lint_text(text)
    errors = [f.message for f in findings if f.severity == "error"]
    if errors:
        raise CommandError("That prompt can't be used: " + "; ".join(errors))
    return text, tuple(f.message for f in findings if f.severity == "warning")


@dataclass
class PromptCommands:
    service: Tigerbird
    access: Access

    async def _library(self, community: Community) -> list[tuple[str, str]]:
        prompts = await self.service.list_prompts(PromptStatus.ACTIVE, community.id)
        return library_items(prompts)

    async def add(self, inv: Invocation, community: Community, raw: str) -> Reply:
        text, category = split_category(raw)
        text, warnings = checked_text(text)
        near = closest(text, await self._library(community))
        if near is not None:
            raise CommandError(f"Too close to an existing prompt: “{near.second_text}”")
        draft = PromptDraft(
            f"custom/{community.id}/{import_key(text).removeprefix('import/')}", text, category
        )
        added = await self.service.add_prompts([draft], PromptSource.CUSTOM, community.id)
        if not added:
            raise CommandError("That prompt is already in the library.")
        note = f" (note: {'; '.join(warnings)})" if warnings else ""
        return Reply(f"Added prompt #{added[0].id} to {category}{note}.")

    async def suggest(self, inv: Invocation, community: Community, raw: str) -> Reply:
        text, category = split_category(raw)
        text, warnings = checked_text(text)
        near = closest(text, await self._library(community))
        key = f"suggested/{community.id}/{import_key(text).removeprefix('import/')}"
        added = await self.service.add_prompts(
            [PromptDraft(key, text, category)],
            PromptSource.SUGGESTED,
            community.id,
            PromptStatus.PENDING,
            suggested_by=inv.member_id,
        )
        if not added:
            raise CommandError("That prompt was suggested already.")
        similar = f" It is close to “{near.second_text}”." if near else ""
        anonymous = (await self.service.health_settings(community.id)).anonymous_suggestions
        review = Review(
            added[0].id,
            neutralise_mentions(text),
            category,
            "" if anonymous else inv.member_id,  # "": the reviewers are not told who
            near.second_text if near else None,
            warnings,
        )
        return Reply(
            f"Thanks! Your suggestion #{added[0].id} went to the managers.{similar} "
            f"Fix it while it waits with `/tigerbird suggest edit {added[0].id} <text>`.",
            review=review,
        )

    async def approve(self, caller: Caller, prompt_id: int) -> Reply:
        prompt = await self.access.decide(caller, prompt_id, PromptStatus.ACTIVE)
        return Reply(
            f"Approved: “{neutralise_mentions(prompt.text)}” joins the library.",
            direct_message=(prompt.suggested_by, "Your Tigerbird suggestion was approved!")
            if prompt.suggested_by
            else None,
        )

    async def reject(self, caller: Caller, prompt_id: int, reason: str) -> Reply:
        prompt = await self.access.decide(caller, prompt_id, PromptStatus.REJECTED)
        why = neutralise_mentions(reason.strip()) or "no reason given"
        dm = f"Your suggestion “{neutralise_mentions(prompt.text)}” was not taken: {why}"
        return Reply(
            "Rejected; the suggester was told why.",
            direct_message=(prompt.suggested_by, dm) if prompt.suggested_by else None,
        )
