"""A prompt's `variants:` (other wordings) in packs and CSV: loaded, lint-checked like the main
text with file:line errors, at most two; near-duplicates of other prompts are still refused,
but the wordings of one prompt are never compared with each other."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.core.domain import Prompt, PromptDraft, PromptSource
from bot.library import PackLoadError, load_pack, load_prompt_file
from bot.library.export import export_text
from bot.library.report import library_items, lint_drafts
from bot.testing.memory import MemoryStore

HEAD = """\
pack:
  id: playful
  name: Playful
  description: Light questions.
  language: en
  license: CC-BY-4.0
prompts:
  - id: tiger-or-bluebird
    text: "If you had to be one, would you be a tiger or a bluebird?"
    category: this-or-that
"""


def _pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "playful.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def _issues(path: Path) -> list[str]:
    with pytest.raises(PackLoadError) as caught:
        load_prompt_file(path)
    return [str(issue) for issue in caught.value.issues]


def test_variants_load_with_the_prompt(tmp_path: Path) -> None:
    path = _pack(
        tmp_path,
        "    variants:\n"
        '      - "Tiger or bluebird: which one would you rather be, and why?"\n'
        '      - "Picture yourself as a tiger or a bluebird. Which fits you?"\n',
    )
    (draft,) = load_pack(path).drafts
    assert draft.variants == (
        "Tiger or bluebird: which one would you rather be, and why?",
        "Picture yourself as a tiger or a bluebird. Which fits you?",
    )


def test_a_prompt_without_variants_has_none(tmp_path: Path) -> None:
    (draft,) = load_pack(_pack(tmp_path, "")).drafts
    assert draft.variants == ()


def test_variants_are_linted_like_the_text_with_their_line(tmp_path: Path) -> None:
    path = _pack(
        tmp_path,
        "    variants:\n"
        '      - "Tiger or bluebird, @here: which one are you?"\n'
        '      - "Buy now: tiger or bluebird, which one are you?"\n',
    )
    name = str(path)
    assert _issues(path) == [
        f"{name}:12: variants[0]: contains a mention: '@here' (mention)",
        f"{name}:13: variants[1]: promotional language: 'Buy now' (promotional)",
    ]


def test_at_most_two_variants_distinct_from_the_text(tmp_path: Path) -> None:
    path = _pack(
        tmp_path,
        "    variants:\n"
        '      - "If you had to be one,  would you be a tiger or a bluebird?"\n'
        '      - "Tiger or bluebird: which are you?"\n'
        '      - "Tiger or bluebird: which are you?"\n',
    )
    name = str(path)
    assert _issues(path) == [
        f"{name}:12: variants: 3 variants, at most 2 (3 wordings with the text)",
        f"{name}:12: variants[0]: same wording as the text",
        f"{name}:14: variants[2]: same wording as variants[1]",
    ]


def test_variants_must_be_a_list_of_text(tmp_path: Path) -> None:
    name = str(tmp_path / "playful.yaml")
    assert _issues(_pack(tmp_path, '    variants: "Tiger or bluebird?"\n')) == [
        f"{name}:11: variants: must be a list"
    ]
    body = "    variants:\n      - {text: Tiger?}\n      -\n"
    assert _issues(_pack(tmp_path, body)) == [
        f"{name}:12: variants[0]: must be a single line of text",
        f"{name}:13: variants[1]: must not be empty",
    ]


def test_csv_variants_column_splits_on_a_bar(tmp_path: Path) -> None:
    path = tmp_path / "new.csv"
    path.write_text(
        "text,category,variants\n"
        '"Which snack would you share with a tiger?",food,'
        '"What snack would a tiger get from you? | A tiger visits: which snack do you share?"\n'
        '"What is the best sound in the morning?",small-joys,\n'
        '"Which tea do you brew on a grey day?",food,"Grey day: which tea, @everyone?"\n',
        encoding="utf-8",
    )
    assert _issues(path) == [
        f"{path}:4: variants[0]: contains a mention: '@everyone' (mention)",
    ]
    path.write_text(
        "text,category,variants\n"
        '"Which snack would you share with a tiger?",food,'
        '"What snack would a tiger get from you? | A tiger visits: which snack do you share?"\n',
        encoding="utf-8",
    )
    (draft,) = load_prompt_file(path)
    assert draft.variants == (
        "What snack would a tiger get from you?",
        "A tiger visits: which snack do you share?",
    )


def test_export_writes_variants_back(tmp_path: Path) -> None:
    draft = PromptDraft(
        "k", "Which snack would you share with a tiger?", "food",
        variants=("What snack would a tiger get from you?",),
    )  # fmt: skip

    async def stored() -> str:
        store = MemoryStore()
        async with store() as u:
            prompt = await u.prompts.add(draft, PromptSource.CUSTOM)
            await u.commit()
        return export_text([prompt], "yaml") + export_text([prompt], "csv")

    text = asyncio.run(stored())
    assert "variants:\n  - What snack would a tiger get from you?" in text
    assert "What snack would a tiger get from you?" in text.split("text,category,tags,variants")[1]
    path = tmp_path / "back.yaml"
    path.write_text(text.split("text,category")[0], encoding="utf-8")
    assert load_prompt_file(path)[0].variants == draft.variants


def test_variants_of_one_prompt_are_not_near_duplicates() -> None:
    draft = PromptDraft(
        "p/tiger", "If you had to be one, would you be a tiger or a bluebird?", "this-or-that",
        variants=("Would you be a tiger or a bluebird, if you had to be one?",),
    )  # fmt: skip
    assert lint_drafts([draft]).ok


def test_a_variant_close_to_another_prompt_is_refused() -> None:
    other = PromptDraft("p/snack", "Which snack would you share with a tiger?", "food")
    draft = PromptDraft(
        "p/tiger", "If you had to be one, would you be a tiger or a bluebird?", "this-or-that",
        variants=("With a tiger, which snack would you share?",),
    )  # fmt: skip
    report = lint_drafts([other, draft])
    assert [(f.key, f.finding.rule_id) for f in report.errors] == [("p/tiger", "near-duplicate")]
    assert "similar to p/snack" in report.errors[0].finding.message


def test_a_draft_close_to_a_stored_variant_is_refused() -> None:
    stored = Prompt(
        1, "p/tiger", "If you had to be one, would you be a tiger or a bluebird?", "this-or-that",
        variants=("With a tiger, which snack would you share?",),
    )  # fmt: skip
    draft = PromptDraft("new/snack", "Which snack would you share with a tiger?", "food")
    report = lint_drafts([draft], library_items([stored]))
    assert [(f.key, f.finding.rule_id) for f in report.errors] == [("new/snack", "near-duplicate")]
    assert "similar to p/tiger#2" in report.errors[0].finding.message
    # Re-syncing the stored prompt itself (same key) compares none of its own wordings.
    same = PromptDraft("p/tiger", stored.text, stored.category, variants=stored.variants)
    assert lint_drafts([same], library_items([stored])).ok
