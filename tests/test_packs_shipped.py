"""The shipped library: 600+ prompts in 15 categories, balanced, clean, no near-duplicates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.core.domain import PromptDraft
from bot.library import CATEGORIES, Pack, lint_drafts, lint_text, load_packs, near_duplicates

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@pytest.fixture(scope="module")
def packs() -> list[Pack]:
    return load_packs(PROMPTS_DIR)


@pytest.fixture(scope="module")
def drafts(packs: list[Pack]) -> list[PromptDraft]:
    return [draft for pack in packs for draft in pack.drafts]


def test_every_pack_loads_with_its_metadata(packs: list[Pack]) -> None:
    assert len(packs) == len(list(PROMPTS_DIR.glob("*.yaml"))) >= 3
    for pack in packs:
        assert pack.path.name == f"{pack.id}.yaml"
        assert pack.language == "en" and pack.license and pack.description


def test_at_least_six_hundred_prompts_none_repeated(drafts: list[PromptDraft]) -> None:
    assert len(drafts) >= 600
    assert len({d.key for d in drafts}) == len(drafts)
    assert len({d.text.casefold() for d in drafts}) == len(drafts)


def test_fifteen_categories_with_a_month_of_prompts_each(drafts: list[PromptDraft]) -> None:
    counts = Counter(d.category for d in drafts)
    well_stocked = {category for category, count in counts.items() if count >= 30}

    assert len(well_stocked) >= 15
    assert set(counts) <= set(CATEGORIES)


def test_at_least_120_prompts_offer_one_tap_choices(drafts: list[PromptDraft]) -> None:
    with_choices = [d for d in drafts if d.choices]

    assert len(with_choices) >= 120
    assert all(2 <= len(d.choices) <= 4 for d in with_choices)


def test_no_lint_errors_and_no_warnings(drafts: list[PromptDraft]) -> None:
    report = lint_drafts(drafts)

    assert [str(f) for f in report.errors] == []
    assert [str(f) for f in report.warnings] == []


def test_no_near_duplicate_pairs_at_the_default_threshold(drafts: list[PromptDraft]) -> None:
    pairs = near_duplicates([(d.key, d.text) for d in drafts])

    assert [(p.first_key, p.second_key, p.similarity) for p in pairs] == []


def test_every_prompt_is_clean_on_its_own(drafts: list[PromptDraft]) -> None:
    dirty = {d.key: lint_text(d.text) for d in drafts if lint_text(d.text)}

    assert dirty == {}
