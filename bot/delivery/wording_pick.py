"""Which wording of a picked prompt a post carries: a community's pinned wording (a promotion
of a shared prompt there), else the wording policy's choice among the prompt's wordings."""

from __future__ import annotations

from dataclasses import replace

from bot.core.domain import Prompt
from bot.core.ports import UnitOfWork
from bot.core.wordings import pin_state_key, wording_key, wording_text, wordings_of
from bot.learning.wordings import WordingChooser


async def chosen_wording(
    u: UnitOfWork, chooser: WordingChooser, community_id: int, prompt: Prompt
) -> str:
    """The key of the wording to post (a prompt without variants reads nothing more)."""
    keys = [wording_key(text) for text in wordings_of(prompt)]
    if len(keys) == 1:
        return keys[0]
    pinned = await u.state.get(pin_state_key(community_id, prompt.id))
    if pinned is not None and pinned in keys:
        return pinned
    return keys[chooser.choose(prompt.id, keys)]


def as_worded(prompt: Prompt, key: str | None) -> Prompt:
    """The prompt as posted: its text is the wording with `key` (the main text if gone)."""
    return replace(prompt, text=wording_text(prompt, key))
