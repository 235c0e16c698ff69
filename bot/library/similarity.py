"""Near-duplicate detection: token-sort similarity over the content words of two prompts.

Function words and question openers ("would you rather", "what is your") are dropped
before comparing, so prompts that share a template but ask about different things stay
apart, while rewordings, reorderings and spelling variants of one question score high.
The measurements behind this choice are in docs/prompts.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 0.85

_STOPWORD_TEXT = """
    a an the and or but if then than so of to in on at by for with from into onto about as
    is are was were be been being am do does did done have has had having will would shall
    should can could may might must i me my mine myself you your yours yourself we us our
    ours they them their it its this that these those there here what which who whom whose
    when where why how rather ever one ones s t d ll re ve m just really most more very
    describe share tell name pick choose imagine don doesn didn isn aren won wouldn"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class DuplicatePair:
    """Two prompts judged near-duplicates; `similarity` is in [0, 1].

    From `closest`, `first_key` is "" and `first_text` is the text being checked.
    """

    first_key: str
    first_text: str
    second_key: str
    second_text: str
    similarity: float


def normalise(text: str) -> str:
    """The content words of `text`, lower-cased, accent-free, plural-folded and sorted."""
    plain = text.replace("\u2019", " ")
    ascii_text = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    words = _WORD.findall(ascii_text.lower())
    content = {_fold(word) for word in words if word not in _STOPWORDS}
    content -= _STOPWORDS
    return " ".join(sorted(content))


def _fold(word: str) -> str:
    """A crude stem: enough to match "favourite"/"favorite" and "books"/"book"."""
    word = word.replace("our", "or") if len(word) > 5 else word
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _scores(left: list[str], right: list[str]) -> np.ndarray:
    return process.cdist(left, right, scorer=fuzz.ratio, dtype=np.float32, workers=-1)


def near_duplicates(
    items: Sequence[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> list[DuplicatePair]:
    """Every pair of (key, text) items at or above `threshold`, most similar first."""
    if len(items) < 2:
        return []
    normalised = [normalise(text) for _, text in items]
    scores = _scores(normalised, normalised)
    cutoff = threshold * 100
    rows, cols = np.nonzero(np.triu(scores >= cutoff, k=1))
    pairs = [
        DuplicatePair(
            items[i][0], items[i][1], items[j][0], items[j][1], round(float(scores[i, j]) / 100, 3)
        )
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    return sorted(pairs, key=lambda p: -p.similarity)


def closest(
    text: str, items: Sequence[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> DuplicatePair | None:
    """The library item most similar to `text`, if it reaches `threshold`."""
    if not items:
        return None
    result = process.extractOne(
        normalise(text),
        [normalise(candidate) for _, candidate in items],
        scorer=fuzz.ratio,
        score_cutoff=threshold * 100,
    )
    if result is None:
        return None
    _, score, index = result
    key, found = items[index]
    return DuplicatePair("", text, key, found, round(score / 100, 3))
