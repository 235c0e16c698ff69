"""Making member-written text safe to post: no mass or personal mention can resolve."""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH_SPACE = "\u200b"

# Slack's special mentions and user/group/role references, Discord's user and role mentions.
_ANGLE_MENTION = re.compile(
    r"<(!(?:channel|here|everyone)[^>]*|!subteam\^[^>]*|@[!&]?[A-Za-z0-9]+)>"
)
_AT_WORD = re.compile(r"@(?=(everyone|here|channel)\b)", re.IGNORECASE)


def _defuse(match: re.Match[str]) -> str:
    inner = match.group(1)
    if inner.startswith("!"):
        return "@" + ZERO_WIDTH_SPACE + inner[1:]
    return inner.replace("@", "@" + ZERO_WIDTH_SPACE, 1)


def neutralise_mentions(text: str) -> str:
    """Break every mention so that no platform resolves it, keeping the text readable.

    `<@U123>` becomes `@U123`-looking text without the angle brackets, and `@everyone`/`@here`
    get a zero-width space after the at-sign.
    """
    text = _ANGLE_MENTION.sub(_defuse, text)
    return _AT_WORD.sub("@" + ZERO_WIDTH_SPACE, text)


# Embedding/override (U+202A-U+202E) and isolate (U+2066-U+2069) controls reorder what a reader
# sees, so text carrying them is refused rather than silently changed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters that only hide or split words: removed.
ZERO_WIDTH = frozenset("\u200b\u200c\u2060\u180e\ufeff")
ZERO_WIDTH_JOINER = "\u200d"
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


class UnsafeText(ValueError):
    """Member text that cannot be stored as it is; the message says why, for the member."""


def clean_member_text(text: str, *, multiline: bool = True) -> str:
    """Normalise text typed by a member or manager before anything stores or posts it.

    NUL and other control characters (C0, DEL, C1) and unpaired surrogates are removed, line
    breaks become `\\n` (spaces when `multiline` is off; tabs are kept), zero-width characters
    are removed except a joiner inside an emoji sequence, and bidirectional overrides or
    isolates raise UnsafeText.
    """
    if any(ch in BIDI_CONTROLS for ch in text):
        raise UnsafeText(
            "text with right-to-left/left-to-right override characters (U+202A-U+202E, "
            "U+2066-U+2069) can't be used: they make text read differently than it is stored"
        )
    text = _NEWLINES.sub("\n", text)
    kept: list[str] = []
    for index, ch in enumerate(text):
        if ch == "\n":
            kept.append(ch if multiline else " ")
        elif ch == "\t" or not _invisible(text, index):
            kept.append(ch)
    return "".join(kept)


def _invisible(text: str, index: int) -> bool:
    ch = text[index]
    if ch == ZERO_WIDTH_JOINER:
        return not _joins_emoji(text, index)
    return ch in ZERO_WIDTH or unicodedata.category(ch) in ("Cc", "Cs")


def _joins_emoji(text: str, index: int) -> bool:
    """A zero-width joiner between two pictographs (👩‍💻) is part of the emoji: keep it."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return _pictograph(before, trailing=True) and _pictograph(after, trailing=False)


def _pictograph(ch: str, *, trailing: bool) -> bool:
    if not ch:
        return False
    if trailing and (ch == "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff"):
        return True  # a variation selector or skin tone ends the previous emoji
    return ord(ch) >= 0x2190 and unicodedata.category(ch) == "So"
