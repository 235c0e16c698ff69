"""Importing prompts from CSV and plain text: stable keys, precise errors, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.library import PackLoadError, import_key, load_prompt_file

CSV = """\
text,category,tags
"What's a dish that tastes like home to you?",food,home;comfort
"Which season suits you best, and why?",nature-animals,"seasons, weather"
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def errors_of(path: Path, category: str | None = None) -> list[str]:
    with pytest.raises(PackLoadError) as caught:
        load_prompt_file(path, category)
    return [str(issue) for issue in caught.value.issues]


def test_csv_rows_become_drafts_with_split_tags(in_tmp: Path) -> None:
    path = Path("new.csv")
    path.write_text(CSV, encoding="utf-8")

    home, season = load_prompt_file(path)

    assert (home.text, home.category, home.tags) == (
        "What's a dish that tastes like home to you?",
        "food",
        ("home", "comfort"),
    )
    assert season.tags == ("seasons", "weather")
    assert home.key == import_key(home.text) and home.key.startswith("import/whats-a-dish")
    assert home.pack is None


def test_import_keys_are_stable_and_distinct() -> None:
    assert import_key("Which season suits you?") == import_key("Which season suits you?")
    assert import_key("Which season suits you?") != import_key("Which season suits you best?")


def test_csv_errors_name_the_line_of_the_record(in_tmp: Path) -> None:
    path = Path("bad.csv")
    path.write_text(
        CSV
        + '"A multi-line\nquestion, which is fine?",food,\n'
        + "Sign up today: what's your goal?,food,\n"
        + "What's your favourite breakfast?,snacks,\n",
        encoding="utf-8",
    )

    errors = errors_of(path)

    assert errors[0] == "bad.csv:6: text: promotional language: 'Sign up' (promotional)"
    assert errors[1].startswith("bad.csv:7: category: unknown category 'snacks'")
    assert len(errors) == 2


def test_csv_without_a_text_column(in_tmp: Path) -> None:
    path = Path("bad.csv")
    path.write_text("question,category\nWhat?,food\n", encoding="utf-8")

    assert errors_of(path) == [
        "bad.csv:1: header: the header needs a 'text' column (and category, tags); "
        "found: question, category"
    ]


def test_csv_category_falls_back_to_the_given_one(in_tmp: Path) -> None:
    path = Path("plain.csv")
    path.write_text("text\nWhat's the best nap you've ever had?\n", encoding="utf-8")

    [draft] = load_prompt_file(path, category="small-joys")

    assert draft.category == "small-joys"
    assert errors_of(path) == ["plain.csv:2: category: required field is missing"]


def test_text_file_one_prompt_per_line(in_tmp: Path) -> None:
    path = Path("list.txt")
    path.write_text(
        "# my prompts\nWhat's a smell that takes you back?\n\n  What's your favourite mug?  \n"
    )

    drafts = load_prompt_file(path, category="nostalgia")

    assert [d.text for d in drafts] == [
        "What's a smell that takes you back?",
        "What's your favourite mug?",
    ]
    assert {d.category for d in drafts} == {"nostalgia"}


def test_text_file_errors_and_requirements(in_tmp: Path) -> None:
    path = Path("list.txt")
    path.write_text("What's your favourite mug?\nhttps://example.com\nWhat's your favourite mug?\n")

    assert errors_of(path) == [
        "list.txt:1: category: plain-text imports need a category (--category)"
    ]
    assert errors_of(path, "nostalgia") == [
        "list.txt:2: text: not an invitation to answer: ask a question or start with "
        "Describe, Share, Tell… (open-invitation)",
        "list.txt:2: text: contains a link: 'https://example.com' (url)",
        "list.txt:3: text: same prompt as line 1",
    ]
    assert errors_of(path, "snacks")[0].startswith("list.txt:1: category: unknown category")


def test_yaml_files_load_as_packs_and_other_types_are_refused(in_tmp: Path) -> None:
    Path("pack.yml").write_text(
        "pack: {id: p, name: P, description: D, language: en, license: CC0-1.0}\n"
        "prompts:\n  - {id: a, text: 'What made you smile today?', category: small-joys}\n"
    )
    Path("notes.md").write_text("What?\n")

    [draft] = load_prompt_file(Path("pack.yml"))

    assert draft.key == "p/a"
    assert errors_of(Path("notes.md")) == [
        "notes.md:1: file: unsupported file type '.md' (use .yaml, .yml, .csv or .txt)"
    ]
