"""The wording policy: a prompt with one wording draws nothing; with several, a new wording is
tried (prior centred on 1) and on synthetic outcomes the better wording comes to win; the
per-wording report says when one is credibly better."""

from __future__ import annotations

import numpy as np
import pytest

from bot.analytics.wordings import chances_best, wording_lines, wording_report
from bot.core.domain import Prompt
from bot.core.ports import WordingRecord
from bot.core.wordings import (
    promoted,
    wording_index,
    wording_key,
    wording_text,
    wordings_of,
)
from bot.learning.wordings import FirstWording, WordingPolicy
from bot.service_layer.wordings import WordingData

KEYS = ["a", "b", "c"]
PROMPT = Prompt(
    7, "k", "Tiger or bluebird?", "this-or-that",
    variants=("Which are you, tiger or bluebird?", "Bluebird or tiger: which one?"),
)  # fmt: skip


def _run(policy: WordingPolicy, rates: list[float], posts: int, seed: int = 3) -> list[int]:
    """Post `posts` times with audience 50; wording i draws Binomial(50, rates[i])."""
    world = np.random.default_rng(seed)
    chosen = []
    for _ in range(posts):
        index = policy.choose(1, KEYS)
        responders = int(world.binomial(50, rates[index]))
        policy.observe(1, KEYS[index], responders, 50)
        chosen.append(index)
    return chosen


def test_one_wording_is_always_chosen_without_a_draw() -> None:
    rng = np.random.default_rng(1)
    before = rng.bit_generator.state
    assert WordingPolicy(rng).choose(1, ["only"]) == 0
    assert rng.bit_generator.state == before
    assert FirstWording().choose(1, KEYS) == 0


def test_without_outcomes_every_wording_is_tried() -> None:
    policy = WordingPolicy(np.random.default_rng(2))
    counts = np.bincount([policy.choose(1, KEYS) for _ in range(900)], minlength=3)
    assert all(250 < c < 350 for c in counts)  # the prior is the same for all: a fair draw


def test_the_better_wording_comes_to_win() -> None:
    policy = WordingPolicy(np.random.default_rng(4))
    chosen = _run(policy, [0.10, 0.16, 0.08], posts=400)
    late = np.bincount(chosen[-100:], minlength=3)
    assert late[1] >= 80  # the best wording (B) takes most of the late posts
    shape, rate = policy.posterior(1, KEYS)
    means = shape / rate
    assert means[1] > 1.0 > means[2]  # multipliers around the prompt's pooled rate


def test_equal_wordings_stay_near_one() -> None:
    policy = WordingPolicy(np.random.default_rng(5))
    _run(policy, [0.12, 0.12, 0.12], posts=300)
    shape, rate = policy.posterior(1, KEYS)
    assert np.all(np.abs(shape / rate - 1.0) < 0.2)


def test_outcomes_without_a_wording_only_inform_the_prompt_rate() -> None:
    policy = WordingPolicy(np.random.default_rng(6))
    policy.observe(1, None, 30, 100)
    assert policy.prompt_rate(1) == pytest.approx(31 / 110)
    shape, _ = policy.posterior(1, KEYS)
    assert list(shape) == [policy.prior_strength] * 3


def test_wording_keys_texts_and_promotion() -> None:
    assert wordings_of(PROMPT)[0] == PROMPT.text
    assert wording_key("Tiger  or bluebird?") == wording_key("Tiger or bluebird?")
    assert wording_text(PROMPT, wording_key(PROMPT.variants[1])) == PROMPT.variants[1]
    assert wording_text(PROMPT, "gone") == PROMPT.text
    assert wording_index("b", 3) == 1 and wording_index("3", 3) == 2
    assert wording_index("C", 2) is None and wording_index("Z", 3) is None
    text, variants = promoted(PROMPT, 2)
    assert text == PROMPT.variants[1]
    assert variants == (PROMPT.variants[0], PROMPT.text)


def test_chances_best_sum_to_one_and_favour_the_clear_winner() -> None:
    chances = chances_best([(50, 500), (90, 500), (48, 500)])
    assert sum(chances) == pytest.approx(1.0)
    assert chances[1] > 0.99
    assert chances_best([(5, 50), (6, 50)])[1] < 0.95


def _data(records: dict[str, tuple[int, int, int]], pinned: str | None = None) -> WordingData:
    found = {
        wording_key(text): WordingRecord(wording_key(text), *records[text]) for text in records
    }
    return WordingData(PROMPT, found, pinned)


def test_report_names_the_credibly_better_wording() -> None:
    a, b, c = wordings_of(PROMPT)
    report = wording_report(_data({a: (10, 40, 400), b: (10, 80, 400), c: (10, 38, 400)}))
    assert [w.label for w in report.wordings] == ["A", "B", "C"]
    assert report.winner is not None and report.winner.label == "B"
    assert report.wordings[1].rate == pytest.approx(0.2)
    low, high = report.wordings[1].interval or (0.0, 0.0)
    assert low < 0.2 < high
    lines = wording_lines(report)
    assert lines[1].startswith(f"B: “{b}” — 10× · 20.0% (90% CI ")
    assert lines[-1].startswith("Wording B is credibly better")


def test_report_says_when_no_wording_is_better_yet() -> None:
    a, b, _ = wordings_of(PROMPT)
    report = wording_report(_data({a: (3, 12, 100), b: (3, 13, 100)}, pinned=wording_key(b)))
    assert report.winner is None
    assert report.wordings[1].pinned and not report.wordings[0].pinned
    lines = wording_lines(report)
    assert lines[2].endswith("no closed post yet")
    assert lines[-1] == "No wording is credibly better yet (none is best in 95 % of draws)."
