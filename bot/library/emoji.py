"""Is a string one emoji a platform can add as a reaction?"""

from __future__ import annotations

_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),  # pictographs, emoticons, transport, flags, skin tones
    (0x2600, 0x27BF),  # misc symbols, dingbats
    (0x2300, 0x23FF),  # technical (⌚ ⏰)
    (0x2B00, 0x2BFF),  # arrows, stars (⭐)
    (0x2190, 0x21FF),  # arrows
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3299),
    (0x00A9, 0x00AE),
    (0x203C, 0x2049),
    (0x2122, 0x2139),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25FE),
)
_JOINERS = {0x200D, 0xFE0F, 0xFE0E, 0x20E3}
_TAGS = (0xE0020, 0xE007F)
_MAX_CODEPOINTS = 12


_SKIN_TONES = (0x1F3FB, 0x1F3FF)
_REGIONAL = (0x1F1E6, 0x1F1FF)
_KEYCAP_BASES = frozenset(ord(c) for c in "#*0123456789")


def _pictographic(code: int) -> bool:
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


def _allowed(code: int, keycap: bool) -> bool:
    return (
        _pictographic(code)
        or code in _JOINERS
        or _TAGS[0] <= code <= _TAGS[1]
        or (keycap and code in _KEYCAP_BASES)
    )


def _one_base(segment: list[int]) -> bool:
    """A ZWJ-free segment holds one pictograph (plus modifiers), or one flag (two letters)."""
    bases = [c for c in segment if _pictographic(c) and not _SKIN_TONES[0] <= c <= _SKIN_TONES[1]]
    if len(bases) == 2 and all(_REGIONAL[0] <= c <= _REGIONAL[1] for c in bases):
        return True
    keycap = 0x20E3 in segment and len(bases) == 0
    return len(bases) == 1 or keycap


def is_emoji(value: str) -> bool:
    """True for a single emoji (with its modifiers, joiners and flag or keycap sequences)."""
    if not value or len(value) > _MAX_CODEPOINTS:
        return False
    codes = [ord(char) for char in value]
    keycap = 0x20E3 in codes
    if not all(_allowed(code, keycap) for code in codes):
        return False
    segments: list[list[int]] = [[]]
    for code in codes:
        if code == 0x200D:
            segments.append([])
        else:
            segments[-1].append(code)
    return all(_one_base(segment) for segment in segments)
