"""Packs that would exhaust the machine fail with one clear line: aliases, size, counts."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.domain import PromptDraft
from bot.library import PackLoadError, TooManyPrompts, limits, lint_drafts, load_pack, read_sources
from bot.library.readers import load_prompt_file

ROOT = Path(__file__).resolve().parent.parent
HEAD = "pack: {id: good, name: Good, description: D, language: en, license: CC0-1.0}\n"
PROMPT = '  - {id: smile, text: "What made you smile today?", category: small-joys}\n'
BOMB = (
    HEAD
    + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "prompts:\n"
    + '  - {id: x, text: "What made you smile?", category: small-joys, tags: [*i, *i]}\n'
)


def errors_of(path: Path) -> list[str]:
    with pytest.raises(PackLoadError) as caught:
        load_prompt_file(path)
    return [str(issue) for issue in caught.value.issues]


def test_an_alias_in_tags_is_refused_with_its_line(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        HEAD
        + "prompts:\n"
        + '  - {id: a, text: "What made you smile?", category: small-joys, tags: &t [fun]}\n'
        + '  - {id: b, text: "Which tea suits a rainy day?", category: food, tags: *t}\n'
    )
    assert errors_of(pack) == [f"{pack}:3: yaml: aliases are not allowed in packs (&t)"]


def test_a_merge_key_alias_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        HEAD
        + "base: &base {category: small-joys}\n"
        + 'prompts:\n  - {<<: *base, id: a, text: "What made you smile?"}\n'
    )
    assert errors_of(pack) == [f"{pack}:2: yaml: aliases are not allowed in packs (&base)"]


def _limit_memory() -> None:
    two_gb = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (two_gb, two_gb))


def test_an_alias_bomb_fails_fast_in_bounded_memory(tmp_path: Path) -> None:
    """9^10 tags once expanded: today's loader runs out of memory; the pack must be refused
    from its events, under a 2 GB address-space limit."""
    pack = tmp_path / "bomb.yaml"
    pack.write_text(BOMB)
    code = (
        "import sys; from pathlib import Path; from bot.library import PackLoadError, load_pack\n"
        "try:\n    load_pack(Path(sys.argv[1]))\n"
        "except PackLoadError as e:\n    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(pack)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"{pack}:2: yaml: aliases are not allowed in packs (&a)"


def test_a_file_over_the_size_bound_is_refused_before_it_is_read(tmp_path: Path) -> None:
    for name in ("big.yaml", "big.csv", "big.txt"):
        big = tmp_path / name
        with big.open("wb") as handle:
            handle.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: no disk, no memory
        assert errors_of(big) == [f"{big}:1: file: 10.0 MB, at most 10 MB per file; split it"]


def test_prompts_per_file_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_PROMPTS", 1)
    pack = tmp_path / "p.yaml"
    pack.write_text(
        HEAD + "prompts:\n" + PROMPT + '  - {id: tea, text: "Which tea?", category: food}\n'
    )
    text = tmp_path / "p.txt"
    text.write_text("What made you smile?\nWhich tea?\n")
    assert errors_of(pack) == [f"{pack}:3: prompts: 2 prompts, at most 1 per file; split it"]
    with pytest.raises(PackLoadError) as caught:
        load_prompt_file(text, "food")
    assert [str(i) for i in caught.value.issues] == [
        f"{text}:1: prompts: 2 prompts, at most 1 per file; split it"
    ]


def test_the_near_duplicate_pass_refuses_more_than_its_bound_before_any_work() -> None:
    drafts = [
        PromptDraft(f"k/{i}", "What made you smile?", "small-joys")
        for i in range(limits.MAX_CHECKED_PROMPTS + 1)
    ]
    with pytest.raises(TooManyPrompts, match=r"100,001 prompts .* at most 100,000"):
        lint_drafts(drafts)
    library = [(f"lib/{i}", "Which tea?") for i in range(limits.MAX_CHECKED_PROMPTS)]
    with pytest.raises(TooManyPrompts):
        lint_drafts(drafts[:1], library)


def test_an_empty_file_is_an_error_naming_it(tmp_path: Path) -> None:
    for name, content in [
        ("e.csv", ""),
        ("e.txt", "\n  \n"),
        ("e.yaml", ""),
        ("h.csv", "text,category\n"),
        ("c.txt", "# only a comment\n"),
    ]:
        path = tmp_path / name
        path.write_text(content)
        with pytest.raises(PackLoadError) as caught:
            load_prompt_file(path, "food")
        [issue] = caught.value.issues
        assert issue.path == str(path) and issue.line == 1
        assert issue.message in ("the file is empty", "no prompts in this file"), issue


def test_the_same_key_in_two_files_names_both_places(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(HEAD + "prompts:\n" + PROMPT)
    b.write_text(HEAD + "prompts:\n" + PROMPT.replace("What made you smile", "Who made you laugh"))

    sources = read_sources([a, b])

    assert [str(i) for i in sources.issues] == [
        f"{b}:3: id: 'good/smile' is also at {a}:3, with other text"
    ]
    c = tmp_path / "c.csv"
    c.write_text("text,category\nWhat made you smile today?,small-joys\n")
    d = tmp_path / "d.txt"
    d.write_text("\nWhat made you smile today?\n")
    [issue] = read_sources([c, d], "small-joys").issues
    assert str(issue).startswith(f"{d}:2: text: 'import/what-made-you-smile-today-")
    assert str(issue).endswith(f"is also at {c}:2, with the same text")


def test_a_folder_is_read_pack_by_pack_and_every_file_is_counted(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "a.yaml").write_text(HEAD + "prompts:\n" + PROMPT)
    (folder / "b.yml").write_text(
        HEAD.replace("good", "more")
        + 'prompts:\n  - {id: tea, text: "Which tea?", category: food}\n'
    )
    (folder / "c.yaml").write_text(HEAD.replace("good", "bad") + "prompts: []\n")

    sources = read_sources([folder])

    assert sources.files == 3
    assert [str(i) for i in sources.issues] == [
        f"{folder / 'c.yaml'}:2: prompts: a pack needs at least one prompt"
    ]
    (folder / "c.yaml").unlink()
    sources = read_sources([folder])
    assert (sources.files, sources.issues) == (2, [])
    assert [(p.draft.key, p.where) for p in sources.prompts] == [
        ("good/smile", f"{folder / 'a.yaml'}:3"),
        ("more/tea", f"{folder / 'b.yml'}:3"),
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert [str(i) for i in read_sources([empty]).issues] == [
        f"{empty}: folder: holds no .yaml or .yml pack"
    ]


def test_load_pack_keeps_the_line_of_each_prompt(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        HEAD + "prompts:\n" + PROMPT + '  - {id: tea, text: "Which tea?", category: food}\n'
    )
    assert load_pack(pack).lines == (3, 4)
