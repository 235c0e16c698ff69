"""Near-duplicates: rewordings are caught, prompts that merely share a template are not."""

from __future__ import annotations

import pytest

from bot.library import closest, near_duplicates
from bot.library.similarity import similarity

TRUE_DUPLICATES = [
    (
        "Which do you find more daunting, infinity or zero?",
        "Which is more daunting: zero or infinity?",
    ),
    ("What's your favourite smell?", "What is your favorite smell?"),
    ("What's an animal you think is underrated?", "Which animal is most underated?"),
    (
        "What's a book you've read more than once?",
        "What books have you read more than once, and why?",
    ),
    ("Would you rather fly or be invisible?", "Would you rather be invisible, or fly?"),
    ("What colour would silence be?", "If silence had a colour, what would it be?"),
]
TEMPLATE_SIBLINGS = [
    ("Would you rather be a tiger or a bluebird?", "Would you rather be a lion or a sparrow?"),
    ("What's an animal you think is underrated?", "What's a film you think is underrated?"),
    ("What's your favourite smell?", "What's your favourite sound?"),
    (
        "If you could live inside any painting for a week, which one would you choose?",
        "If you could swap jobs with anyone for one week, whose job would you take?",
    ),
    ("Tea or coffee to start the day?", "Tea or cocoa before bed?"),
    ("What's the best meal you've ever had?", "What's the best nap you've ever had?"),
]


@pytest.mark.parametrize(("first", "second"), TRUE_DUPLICATES)
def test_true_near_duplicates_reach_the_default_threshold(first: str, second: str) -> None:
    assert similarity(first, second) >= 0.85
    [pair] = near_duplicates([("a", first), ("b", second)])
    assert (pair.first_key, pair.second_key) == ("a", "b")


@pytest.mark.parametrize(("first", "second"), TEMPLATE_SIBLINGS)
def test_prompts_sharing_a_template_stay_apart(first: str, second: str) -> None:
    assert similarity(first, second) < 0.85
    assert near_duplicates([("a", first), ("b", second)]) == []


def test_pairs_come_most_similar_first_and_respect_the_threshold() -> None:
    items = [
        ("a", "What's your favourite smell?"),
        ("b", "What is your favorite smell?"),
        ("c", "What's your favourite smell in the morning?"),
        ("d", "Which season suits you best?"),
    ]

    pairs = near_duplicates(items, threshold=0.75)

    assert [(p.first_key, p.second_key) for p in pairs] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert pairs[0].similarity == 1.0 and pairs[1].similarity == pytest.approx(0.8)
    assert near_duplicates(items) == pairs[:1]


def test_closest_suggests_the_most_similar_library_prompt() -> None:
    library = [
        ("lib/1", "What's a dish that tastes like home to you?"),
        ("lib/2", "What's an animal you think is underrated?"),
    ]

    match = closest("Which animal do you find underrated?", library)

    assert match is not None
    assert (match.first_key, match.second_key, match.similarity) == ("", "lib/2", 1.0)
    assert closest("What's the best nap you've ever had?", library) is None
    assert closest("Anything?", []) is None


def test_nothing_to_compare_gives_no_pairs() -> None:
    assert near_duplicates([]) == []
    assert near_duplicates([("a", "What?")]) == []
    assert near_duplicates([("a", "What?"), ("b", "Why?")]) == []
