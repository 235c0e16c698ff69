"""Broken packs name the file, the line and the field; loading is all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.domain import Choice
from bot.library import PackLoadError, load_pack, load_packs

VALID = """\
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
    tags: [animals]
    choices:
      - {emoji: "🐯", label: tiger}
      - {emoji: "🐦", label: bluebird}
"""
TEXT_LINE = '    text: "If you had to be one, would you be a tiger or a bluebird?"'
SECOND_PROMPT = """\
  - id: infinity-or-zero
    text: "Which do you find more daunting, infinity or zero?"
    category: big-questions
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "prompts").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(text: str, name: str = "playful.yaml") -> Path:
    path = Path("prompts") / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(text: str) -> list[str]:
    with pytest.raises(PackLoadError) as caught:
        load_pack(write(text))
    return [str(issue) for issue in caught.value.issues]


def with_text(text: str) -> str:
    return VALID.replace(TEXT_LINE, f"    text: {text!r}")


def test_a_valid_pack_loads_into_drafts_keyed_by_pack_and_prompt(in_tmp: Path) -> None:
    pack = load_pack(write(VALID + SECOND_PROMPT))

    assert (pack.id, pack.name, pack.language, pack.license) == (
        "playful",
        "Playful",
        "en",
        "CC-BY-4.0",
    )
    assert pack.path == Path("prompts/playful.yaml")
    tiger, infinity = pack.drafts
    assert tiger.key == "playful/tiger-or-bluebird"
    assert tiger.pack == "playful"
    assert tiger.tags == ("animals",)
    assert tiger.choices == (Choice("🐯", "tiger"), Choice("🐦", "bluebird"))
    assert infinity.key == "playful/infinity-or-zero"
    assert infinity.choices == ()


def test_duplicate_choice_emoji(in_tmp: Path) -> None:
    text = VALID + '      - {emoji: "🐯", label: big cat}\n'

    assert errors_of(text) == ["prompts/playful.yaml:15: choices[2]: emoji '🐯' used twice"]


def test_more_than_four_choices(in_tmp: Path) -> None:
    extra = "".join(f'      - {{emoji: "{e}", label: x}}\n' for e in "🐝🐢🐸")

    assert errors_of(VALID + extra) == [
        "prompts/playful.yaml:17: choices[4]: more than 4 choices (5)"
    ]


def test_a_choice_that_is_not_an_emoji(in_tmp: Path) -> None:
    text = VALID.replace('{emoji: "🐦"', '{emoji: ":bird:"')

    assert errors_of(text) == [
        "prompts/playful.yaml:14: choices[1]: emoji ':bird:' is not a single emoji"
    ]


def test_bad_yaml_names_its_line(in_tmp: Path) -> None:
    text = VALID.replace("    tags: [animals]", "    tags: [animals")

    [error] = errors_of(text)
    assert error.startswith("prompts/playful.yaml:12: yaml: ")


def test_missing_field(in_tmp: Path) -> None:
    text = VALID.replace("    category: this-or-that\n", "")

    assert errors_of(text) == ["prompts/playful.yaml:8: category: required field is missing"]


def test_missing_pack_metadata(in_tmp: Path) -> None:
    text = VALID.replace("  license: CC-BY-4.0\n", "")

    assert errors_of(text) == ["prompts/playful.yaml:2: pack.license: required field is missing"]


def test_unknown_category_lists_the_allowed_ones(in_tmp: Path) -> None:
    text = VALID.replace("category: this-or-that", "category: snacks")

    [error] = errors_of(text)
    assert error.startswith(
        "prompts/playful.yaml:10: category: unknown category 'snacks' (allowed: "
    )
    assert "this-or-that" in error and "big-questions" in error


def test_unknown_field_is_a_typo_not_silence(in_tmp: Path) -> None:
    text = VALID.replace("    tags: [animals]", "    tgas: [animals]")

    [error] = errors_of(text)
    assert error.startswith("prompts/playful.yaml:11: tgas: unknown field")


def test_promotional_text(in_tmp: Path) -> None:
    errors = errors_of(with_text("Buy now: 20% off our new product! Which colour do you like?"))

    assert errors == [
        "prompts/playful.yaml:9: text: promotional language: "
        "'Buy now', '20% off', 'our new product' (promotional)"
    ]


def test_mass_mention(in_tmp: Path) -> None:
    errors = errors_of(with_text("@everyone tiger or bluebird, which are you?"))

    assert errors == ["prompts/playful.yaml:9: text: contains a mention: '@everyone' (mention)"]


def test_over_long_text(in_tmp: Path) -> None:
    long_text = "Which " + "very " * 60 + "small joy made your day?"

    errors = errors_of(with_text(long_text))

    assert errors == [
        f"prompts/playful.yaml:9: text: {len(long_text)} characters, at most 280 allowed (too-long)"
    ]


def test_duplicate_prompt_ids(in_tmp: Path) -> None:
    text = VALID + SECOND_PROMPT.replace("infinity-or-zero", "tiger-or-bluebird")

    assert errors_of(text) == [
        "prompts/playful.yaml:15: id: prompt id 'tiger-or-bluebird' used twice (first on line 8)"
    ]


def test_every_problem_is_reported_at_once(in_tmp: Path) -> None:
    text = with_text("Sign up today @here?").replace("this-or-that", "snacks")
    text += '      - {emoji: "🐯", label: tiger again}\n'

    errors = errors_of(text)

    assert [e.split(": ")[1] for e in errors] == ["text", "text", "category", "choices[2]"]


def test_an_unquoted_yes_label_stays_text(in_tmp: Path) -> None:
    pack = load_pack(write(VALID.replace("label: tiger}", "label: yes}")))

    assert pack.drafts[0].choices[0] == Choice("🐯", "yes")


def test_load_packs_is_all_or_nothing(in_tmp: Path) -> None:
    write(VALID, "a.yaml")
    write(VALID.replace("id: playful", "id: broken").replace("this-or-that", "snacks"), "b.yaml")

    with pytest.raises(PackLoadError) as caught:
        load_packs(Path("prompts"))

    assert [i.path for i in caught.value.issues] == ["prompts/b.yaml"]


def test_pack_ids_must_be_unique_across_files(in_tmp: Path) -> None:
    write(VALID, "a.yaml")
    write(VALID, "b.yaml")

    with pytest.raises(PackLoadError) as caught:
        load_packs(Path("prompts"))

    assert [str(i) for i in caught.value.issues] == [
        "prompts/b.yaml:2: pack.id: 'playful' also used by prompts/a.yaml:2"
    ]


def test_load_packs_reads_yaml_files_in_name_order(in_tmp: Path) -> None:
    write(VALID.replace("id: playful", "id: zebra"), "z.yaml")
    write(VALID, "a.yaml")

    assert [pack.id for pack in load_packs(Path("prompts"))] == ["playful", "zebra"]


def test_a_file_that_is_not_a_mapping(in_tmp: Path) -> None:
    assert errors_of("- just\n- a list\n") == [
        "prompts/playful.yaml:1: file: must be a mapping with 'pack' and 'prompts'"
    ]
    assert errors_of("") == ["prompts/playful.yaml:1: pack: the file is empty"]


def test_pack_id_clash_points_at_the_pack_id_line(in_tmp: Path) -> None:
    write(VALID, "a.yaml")
    write(
        "# a comment\n"
        + VALID.replace("  id: playful\n", "  name: X\n  id: playful\n", 1).replace(
            "  name: Playful\n", ""
        ),
        "b.yaml",
    )

    with pytest.raises(PackLoadError) as caught:
        load_packs(Path("prompts"))

    assert [str(i) for i in caught.value.issues] == [
        "prompts/b.yaml:4: pack.id: 'playful' also used by prompts/a.yaml:2"
    ]
