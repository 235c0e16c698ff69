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
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 0.85
# Words at least this long and this close (Indel ratio, 0-100) count as one word: typos.
_TYPO_MIN_LENGTH = 6
_TYPO_RATIO = 88
# A word n letters long is within _TYPO_RATIO only of words up to 2n/0.88 - n = 1.27n long.
_LENGTH_SPAN = 1.3
_BLOCK = 1024
_PROGRESS_EVERY = 500

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
    """Map each word to a representative, merging long words a typo apart (union-find).

    Two words can only reach `_TYPO_RATIO` if their lengths are close, so each block of
    same-length words is compared (one `cdist`, `_BLOCK` rows at a time) only with the words
    that are as long or up to `_LENGTH_SPAN` times longer: memory stays linear in the
    vocabulary and the pairs compared are a small share of all pairs.
    """
    parent = {word: word for word in vocabulary}

    def root(word: str) -> str:
        while parent[word] != word:
            parent[word] = parent[parent[word]]
            word = parent[word]
        return word

    long_words = sorted((w for w in vocabulary if len(w) >= _TYPO_MIN_LENGTH), key=len)
    lengths = np.array([len(word) for word in long_words])
    for length in np.unique(lengths).tolist():
        first = int(np.searchsorted(lengths, length, side="left"))
        end = int(np.searchsorted(lengths, length, side="right"))
        stop = int(np.searchsorted(lengths, int(length * _LENGTH_SPAN) + 1, side="right"))
        columns = long_words[first:stop]
        for start in range(first, end, _BLOCK):
            rows = long_words[start : min(start + _BLOCK, end)]
            scores = process.cdist(
                rows, columns, scorer=fuzz.ratio, score_cutoff=_TYPO_RATIO, workers=-1
            )
            for i, j in zip(*np.nonzero(scores), strict=True):
                parent[root(rows[int(i)])] = root(columns[int(j)])
    return {word: root(word) for word in vocabulary}


def _group_sets(texts: Sequence[str]) -> list[frozenset[str]]:
    """Each text's content words, typo-merged over the vocabulary of all `texts`."""
    words = [content_words(text) for text in texts]
    groups = _typo_groups(sorted(set().union(*words)))
    return [frozenset(groups[word] for word in each) for each in words]


def _dice(shared: int, left: int, right: int) -> float:
    return 2 * shared / (left + right) if left + right else 0.0


def similarity(first: str, second: str) -> float:
    """How alike two prompt texts are, from 0 (nothing in common) to 1."""
    a, b = _group_sets([first, second])
    return _dice(len(a & b), len(a), len(b))


def near_duplicates(
    items: Sequence[tuple[str, str]],
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> list[DuplicatePair]:
    """Every pair of (key, text) items at or above `threshold`, most similar first.

    Candidates come from an inverted index on each prompt's rarest words (prefix
    filtering): two sets with Dice >= t share at least c words, so their first |A| - c + 1
    words in a global rarest-first order meet. Only candidates are compared, each exactly.
    `progress(done, total)` is called as items are indexed.
    """
    if len(items) < 2:
        return []
    if progress is not None:
        progress(0, len(items))
    sets = _group_sets([text for _, text in items])
    if threshold <= 0:
        candidates = [(i, j) for j in range(len(sets)) for i in range(j)]
        found = [
            (i, j, _dice(len(sets[i] & sets[j]), len(sets[i]), len(sets[j]))) for i, j in candidates
        ]
    else:
        found = _prefix_join(sets, threshold, progress)
    found.sort(key=lambda f: (-_round(f[2]), f[0], f[1]))
    return [
        DuplicatePair(items[i][0], items[i][1], items[j][0], items[j][1], _round(score))
        for i, j, score in found
        if score >= threshold
    ]


def _prefix_join(
    sets: list[frozenset[str]], threshold: float, progress: Callable[[int, int], None] | None
) -> list[tuple[int, int, float]]:
    frequency = Counter(word for words in sets for word in words)
    rank = {word: r for r, (word, _) in enumerate(sorted(frequency.items(), key=_rarest))}
    index: dict[str, list[int]] = defaultdict(list)
    found: list[tuple[int, int, float]] = []
    for j, words in enumerate(sets):
        if progress is not None and j % _PROGRESS_EVERY == 0:
            progress(j, len(sets))
        size = len(words)
        if not size:
            continue
        ordered = sorted(words, key=rank.__getitem__)
        candidates: set[int] = set()
        for word in ordered[: size - _min_overlap(size, threshold) + 1]:
            postings = index[word]
            candidates.update(postings)
            postings.append(j)
        for i in sorted(candidates):
            other = len(sets[i])
            if _dice(min(size, other), size, other) < threshold:
                continue  # the sizes alone rule it out
            score = _dice(len(words & sets[i]), size, other)
            if score >= threshold:
                found.append((i, j, score))
    if progress is not None:
        progress(len(sets), len(sets))
    return found


def _rarest(entry: tuple[str, int]) -> tuple[int, str]:
    return entry[1], entry[0]


def _min_overlap(size: int, threshold: float) -> int:
    """The fewest shared words that can reach `threshold` with a set of `size` words.

    Sharing c words needs the partner to have at least c, and Dice is highest then; the
    same float expression as the final check keeps the filter exact.
    """
    for shared in range(1, size + 1):
        if _dice(shared, size, shared) >= threshold:
            return shared
    return size + 1


def closest(
    text: str, items: Sequence[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> DuplicatePair | None:
    """The library item most similar to `text`, if it reaches `threshold`."""
    if not items:
        return None
    mine, *others = _group_sets([text, *(other for _, other in items)])
    scores = [_dice(len(mine & words), len(mine), len(words)) for words in others]
    best = max(range(len(scores)), key=scores.__getitem__)  # the first of equal best
    if scores[best] < threshold:
        return None
    key, found = items[best]
    return DuplicatePair("", text, key, found, _round(scores[best]))


def _round(value: float) -> float:
    return round(float(value), 3)
