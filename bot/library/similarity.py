"""Near-duplicate detection: the share of content words two prompts have in common.

Similarity is the Dice coefficient 2·|A∩B| / (|A|+|B|) over each prompt's content words:
function words and openers ("would you rather", "what is your") are dropped, plurals and
British/American spellings folded, and long words within a typo of each other treated as
one. Prompts that share a template but ask about different things stay apart; rewordings,
reorderings and misspellings of one question score high. Measurements: docs/prompts.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 0.85
# Words at least this long and this close (Indel ratio, 0-100) count as one word: typos.
_TYPO_MIN_LENGTH = 6
_TYPO_RATIO = 88

_STOPWORD_TEXT = """
    a an the and or but if then than so of to in on at by for with from into onto about as
    is are was were be been being am do does did done have has had having will would shall
    should can could may might must i me my mine myself you your yours yourself we us our
    ours they them their it its this that these those there here what which who whom whose
    when where why how rather ever one ones s t d ll re ve m just really most more very
    describe share tell name pick choose imagine don doesn didn isn aren won wouldn
    think find actually also"""
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


def content_words(text: str) -> frozenset[str]:
    """The content words of `text`: lower-case, accent-free, plural- and spelling-folded."""
    plain = text.replace("\u2019", " ")
    ascii_text = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    words = _WORD.findall(ascii_text.lower())
    content = {_fold(word) for word in words if word not in _STOPWORDS}
    return frozenset(content - _STOPWORDS)


def _fold(word: str) -> str:
    """A crude stem: enough to match "favourite"/"favorite" and "books"/"book"."""
    word = word.replace("our", "or") if len(word) > 5 else word
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _typo_groups(vocabulary: list[str]) -> dict[str, str]:
    """Map each word to a representative, merging long words a typo apart (union-find)."""
    parent = {word: word for word in vocabulary}

    def root(word: str) -> str:
        while parent[word] != word:
            parent[word] = parent[parent[word]]
            word = parent[word]
        return word

    long_words = [word for word in vocabulary if len(word) >= _TYPO_MIN_LENGTH]
    if len(long_words) > 1:
        scores = process.cdist(
            long_words, long_words, scorer=fuzz.ratio, score_cutoff=_TYPO_RATIO, workers=-1
        )
        for i, j in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
            parent[root(long_words[int(i)])] = root(long_words[int(j)])
    return {word: root(word) for word in vocabulary}


def _dice(left: list[frozenset[str]], right: list[frozenset[str]]) -> NDArray[np.float64]:
    """Dice similarity of every left set with every right set, typo-tolerant."""
    vocabulary = sorted(set().union(*left, *right))
    groups = _typo_groups(vocabulary)
    columns = {group: index for index, group in enumerate(sorted(set(groups.values())))}

    def matrix(sets: list[frozenset[str]]) -> NDArray[np.float64]:
        rows = np.zeros((len(sets), max(len(columns), 1)))
        for row, words in enumerate(sets):
            rows[row, [columns[groups[word]] for word in words]] = 1.0
        return rows

    a, b = matrix(left), matrix(right)
    sizes = a.sum(axis=1)[:, None] + b.sum(axis=1)[None, :]
    shared: NDArray[np.float64] = a @ b.T
    dice: NDArray[np.float64] = np.divide(
        2 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0
    )
    return dice


def similarity(first: str, second: str) -> float:
    """How alike two prompt texts are, from 0 (nothing in common) to 1."""
    return float(_dice([content_words(first)], [content_words(second)])[0, 0])


def near_duplicates(
    items: Sequence[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> list[DuplicatePair]:
    """Every pair of (key, text) items at or above `threshold`, most similar first."""
    if len(items) < 2:
        return []
    words = [content_words(text) for _, text in items]
    scores = np.triu(_dice(words, words), k=1)
    rows, cols = np.nonzero(scores >= threshold)
    pairs = [
        DuplicatePair(items[i][0], items[i][1], items[j][0], items[j][1], _round(scores[i, j]))
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    return sorted(pairs, key=lambda p: -p.similarity)


def closest(
    text: str, items: Sequence[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> DuplicatePair | None:
    """The library item most similar to `text`, if it reaches `threshold`."""
    if not items:
        return None
    scores = _dice([content_words(text)], [content_words(other) for _, other in items])[0]
    best = int(np.argmax(scores))
    if scores[best] < threshold:
        return None
    key, found = items[best]
    return DuplicatePair("", text, key, found, _round(scores[best]))


def _round(value: float) -> float:
    return round(float(value), 3)
