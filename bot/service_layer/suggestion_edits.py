"""Fixing a suggestion before it is decided: its suggester may edit their own while it waits
for review, a manager may edit any of the community's waiting suggestions before approving.

The text goes through the same lint as a new suggestion. Another community's suggestion, and
another member's for a member who is not a manager, read exactly like a missing one."""

from __future__ import annotations

from dataclasses import replace

from bot.core.authz import Caller
from bot.core.domain import Prompt, PromptStatus
from bot.core.invocations import CommandError
from bot.core.ports import UnitOfWorkFactory
from bot.library import CATEGORIES, lint_text


def no_suggestion(prompt_id: int) -> CommandError:
    return CommandError(f"no suggestion #{prompt_id} of yours is waiting for review")


def checked_suggestion(text: str, category: str) -> tuple[str, tuple[str, ...]]:
    """The text as a suggestion may hold it: lint errors refuse it, warnings travel along."""
    text = " ".join(text.split())
    if not text:
        raise CommandError("text: give the suggestion's new text")
    if category not in CATEGORIES:
        raise CommandError(
            f"category: '{category}' is unknown; use one of {', '.join(sorted(CATEGORIES))}"
        )
    findings = lint_text(text)
    errors = [f.message for f in findings if f.severity == "error"]
    if errors:
        raise CommandError("That prompt can't be used: " + "; ".join(errors))
    return text, tuple(f.message for f in findings if f.severity == "warning")


class SuggestionEdits:
    """Edit a waiting suggestion: its own suggester, or one of the community's managers."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def edit(
        self, caller: Caller, prompt_id: int, text: str, category: str | None = None
    ) -> tuple[Prompt, tuple[str, ...]]:
        """Store the new text (and category, if given); returns the prompt and lint warnings."""
        async with self.uow() as u:
            prompt = await u.prompts.get(prompt_id)
            mine = prompt is not None and prompt.suggested_by == caller.member_id
            if (
                prompt is None
                or prompt.community_id != caller.community.id
                or not (mine or caller.is_manager)
            ):
                raise no_suggestion(prompt_id)
            new_text, warnings = checked_suggestion(text, category or prompt.category)
            # A conditional no-op update: fails (and locks out a decision meanwhile) unless the
            # suggestion is still waiting, so an edit never undoes an approval made just now.
            still_pending = await u.prompts.change_status(
                prompt.id, caller.community.id, PromptStatus.PENDING, PromptStatus.PENDING
            )
            if prompt.status is not PromptStatus.PENDING or not still_pending:
                raise CommandError(
                    f"Suggestion #{prompt_id} was already decided; it can no longer be edited."
                )
            edited = replace(prompt, text=new_text, category=category or prompt.category)
            await u.prompts.update(edited)
            await u.commit()
        return edited, warnings
