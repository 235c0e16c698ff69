"""The near-duplicate pass at scale: the same pairs as the all-pairs matrix it replaced, in
memory and time that grow with the library, not its square."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from bot.library import load_packs, near_duplicates
from bot.library.lint import lint_text
from bot.library.similarity import _STOPWORDS, _typo_groups, closest, content_words

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (0.85, 0.75, 0.6, 0.5, 0.4, 0.3, 1.0)


# --- the previous implementation (all pairs as one dense matrix), kept as the oracle ------


def _reference_groups(vocabulary: list[str]) -> dict[str, str]:
    parent = {word: word for word in vocabulary}

    def root(word: str) -> str:
        while parent[word] != word:
            parent[word] = parent[parent[word]]
            word = parent[word]
        return word

    long_words = [word for word in vocabulary if len(word) >= 6]
    if len(long_words) > 1:
        scores = process.cdist(long_words, long_words, scorer=fuzz.ratio, score_cutoff=88)
        for i, j in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
            parent[root(long_words[int(i)])] = root(long_words[int(j)])
    return {word: root(word) for word in vocabulary}


def _reference_dice(left: list[frozenset[str]], right: list[frozenset[str]]) -> NDArray[np.float64]:
    vocabulary = sorted(set().union(*left, *right))
    groups = _reference_groups(vocabulary)
    columns = {group: index for index, group in enumerate(sorted(set(groups.values())))}

    def matrix(sets: list[frozenset[str]]) -> NDArray[np.float64]:
        rows = np.zeros((len(sets), max(len(columns), 1)))
        for row, words in enumerate(sets):
            rows[row, [columns[groups[word]] for word in words]] = 1.0
        return rows

    a, b = matrix(left), matrix(right)
    sizes = a.sum(axis=1)[:, None] + b.sum(axis=1)[None, :]
    shared: NDArray[np.float64] = a @ b.T
    similarity: NDArray[np.float64] = np.divide(
        2 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0
    )
    return similarity


def reference_pairs(
    items: list[tuple[str, str]], threshold: float
) -> list[tuple[str, str, str, str, float]]:
    words = [content_words(text) for _, text in items]
    scores = np.triu(_reference_dice(words, words), k=1)
    rows, cols = np.nonzero(scores >= threshold)
    pairs = [
        (items[i][0], items[i][1], items[j][0], items[j][1], round(float(scores[i, j]), 3))
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    return sorted(pairs, key=lambda p: -p[4])


def new_pairs(items: list[tuple[str, str]], threshold: float) -> list[tuple[object, ...]]:
    return [
        (p.first_key, p.first_text, p.second_key, p.second_text, p.similarity)
        for p in near_duplicates(items, threshold)
    ]


# --- random prompts with shared words, typos, plurals and British spellings ---------------

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "pe", "da", "gor", "lin", "mar"]
SYLLABLES += ["tes", "bel", "our", "ful"]
TEMPLATES = (
    "What's your favourite {} {}?",
    "Would you rather {} or {}?",
    "Which {} {} {} matters most to you?",
    "Describe a {} you would {} {} again.",
    "If {} had a {}, what would it be?",
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 5)))


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(len(word))
    return word[:at] + word[at] + word[at:]  # a doubled letter


def random_items(seed: int, count: int, vocabulary: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = [_word(rng) for _ in range(vocabulary)]
    items: list[tuple[str, str]] = []
    while len(items) < count:
        template = rng.choice(TEMPLATES)
        chosen = [rng.choice(words) for _ in range(template.count("{}"))]
        items.append((f"k{len(items)}", template.format(*chosen)))
        if rng.random() < 0.3:  # a variant: shuffled, a typo, a plural
            variant = chosen[:]
            rng.shuffle(variant)
            variant[0] = _typo(rng, variant[0]) if rng.random() < 0.5 else variant[0] + "s"
            items.append((f"k{len(items)}", rng.choice(TEMPLATES[:2]).format(*variant[:2])))
    return items


def test_the_same_pairs_as_the_matrix_on_the_shipped_packs() -> None:
    items = [(d.key, d.text) for p in load_packs(ROOT / "prompts") for d in p.drafts]
    for threshold in THRESHOLDS:
        assert new_pairs(items, threshold) == reference_pairs(items, threshold), threshold
    assert len(reference_pairs(items, 0.3)) > 100  # the comparison covers many pairs


@pytest.mark.parametrize("seed", range(6))
def test_the_same_pairs_as_the_matrix_on_random_prompts(seed: int) -> None:
    items = random_items(seed, 400, vocabulary=60 + 40 * seed)
    found = 0
    for threshold in THRESHOLDS:
        expected = reference_pairs(items, threshold)
        assert new_pairs(items, threshold) == expected, threshold
        found += len(expected)
    assert found > 50


@pytest.mark.parametrize("seed", range(4))
def test_typo_groups_are_the_same_partition(seed: int) -> None:
    rng = random.Random(seed)
    base = [_word(rng) for _ in range(400)]
    vocabulary = sorted(
        {*base, *(_typo(rng, w) for w in base[:150]), *(w + "s" for w in base[:50])}
    )

    def partition(groups: dict[str, str]) -> set[frozenset[str]]:
        members: dict[str, set[str]] = {}
        for word, group in groups.items():
            members.setdefault(group, set()).add(word)
        return {frozenset(m) for m in members.values()}

    new, old = partition(_typo_groups(vocabulary)), partition(_reference_groups(vocabulary))
    assert new == old
    assert any(len(group) > 1 for group in new)


def test_closest_picks_what_the_matrix_picked() -> None:
    items = random_items(7, 300, vocabulary=80)
    for text in [t for _, t in items[:40]] + ["What's your favourite kalo mine?"]:
        scores = _reference_dice([content_words(text)], [content_words(t) for _, t in items])[0]
        best = int(np.argmax(scores))
        pair = closest(text, items, threshold=0.3)
        if scores[best] < 0.3:
            assert pair is None
        else:
            assert pair is not None
            assert (pair.second_key, pair.similarity) == (items[best][0], round(scores[best], 3))


# --- 20,000 prompts through the real command ----------------------------------------------


def _pack_of_20000(path: Path) -> set[tuple[str, str]]:
    """20,000 lint-clean prompts of three made-up words each (no two with the same three), 200
    of them rewordings of the prompt before; returns those pairs (key before, key after)."""
    rng = random.Random(20_000)
    vowels, consonants = "aeiou", "bcdfghjklmnprtvz"
    words: set[str] = set()
    while len(words) < 8_000:
        syllables = rng.randint(2, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)))
    pool = sorted(words - _STOPWORDS)
    lines = ["pack: {id: big, name: Big, description: D, language: en, license: CC0-1.0}"]
    lines.append("prompts:")
    planted: set[tuple[str, str]] = set()
    used: set[frozenset[str]] = set()
    count = 0
    while count < 20_000:
        chosen = rng.sample(pool, 3)
        text = f"Which {chosen[0]}, {chosen[1]} or {chosen[2]} would you keep?"
        if frozenset(chosen) in used or lint_text(text):
            continue
        used.add(frozenset(chosen))
        lines.append(f'  - {{id: p{count}, text: "{text}", category: small-joys}}')
        count += 1
        if count < 20_000 and len(planted) < 200 and rng.random() < 0.02:
            twin = f"What would you keep: {chosen[2]}s, {chosen[0]} or {chosen[1]}?"
            lines.append(f'  - {{id: p{count}, text: "{twin}", category: small-joys}}')
            planted.add((f"big/p{count - 1}", f"big/p{count}"))
            count += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return planted


def test_lint_of_20000_prompts_finds_exactly_the_planted_rewordings(tmp_path: Path) -> None:
    pack = tmp_path / "big.yaml"
    planted = _pack_of_20000(pack)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.app.cli.main import main; main()",
            "prompts",
            "lint",
            str(pack),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": str(tmp_path)},
    )
    assert result.returncode == 1, result.stderr[-2000:]
    found = set()
    for line in result.stdout.splitlines():
        if "near-duplicate" in line:
            key, _, rest = line.strip().partition(": near-duplicate: 1.00 similar to ")
            found.add((rest.split(":")[0], key))
    assert len(planted) == 200
    assert found == planted
    assert "20000 prompts in 1 file(s): 200 errors, 0 warnings" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
