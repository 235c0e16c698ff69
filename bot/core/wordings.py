"""A prompt's wordings: its main text and up to two variants, each named by a stable key.

A post records the key of the wording it posted, so its outcome stays credited to that text
when wordings are reordered (a promotion) and is dropped from the per-wording figures when the
text is edited away (another text is another wording).
"""

from __future__ import annotations

import hashlib

from bot.core.domain import Prompt

MAX_WORDINGS = 3
MAX_VARIANTS = MAX_WORDINGS - 1
_KEY_LENGTH = 12


def wording_key(text: str) -> str:
    """The stable key of one wording: a short hash of its whitespace-normalised text."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:_KEY_LENGTH]


def wordings_of(prompt: Prompt) -> tuple[str, ...]:
    """The main text first, then the variants."""
    return (prompt.text, *prompt.variants)


def wording_text(prompt: Prompt, key: str | None) -> str:
    """The wording of `prompt` with this key; the main text if none has it (or key is None)."""
    for text in prompt.variants:
        if key is not None and wording_key(text) == key:
            return text
    return prompt.text


def wording_label(index: int) -> str:
    """How a wording is named to managers: "A" is the main text, then "B", "C"."""
    return "ABC"[index] if 0 <= index < MAX_WORDINGS else str(index)


def wording_index(label: str, count: int) -> int | None:
    """The index of the wording named `label` ("A"/"B"/"C" or 1..3), None if not one of
    `count` wordings."""
    text = label.strip().upper()
    if text.isdigit():
        index = int(text) - 1
    elif len(text) == 1 and "A" <= text <= "C":
        index = ord(text) - ord("A")
    else:
        return None
    return index if 0 <= index < count else None


def promoted(prompt: Prompt, index: int) -> tuple[str, tuple[str, ...]]:
    """The (text, variants) after promoting wording `index`: it becomes the main text and the
    old main text takes its place among the variants (nothing is lost, the test goes on)."""
    texts = list(wordings_of(prompt))
    texts[0], texts[index] = texts[index], texts[0]
    return texts[0], tuple(texts[1:])


def pin_state_key(community_id: int, prompt_id: int) -> str:
    """The state key under which a community pins one wording of a shared prompt (its
    promotion there: the community posts that wording; other communities are unaffected)."""
    return f"wording-pin:{community_id}:{prompt_id}"
