"""`tigerbird prompts …` and the library at start: folders, reasons per prompt, --update,
text printed as text, and a bad or missing TIGERBIRD_PROMPTS_DIR stopping the start."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from bot.app.cli import prompts_lint
from bot.app.cli.main import app

runner = CliRunner()
HEAD = "pack: {id: good, name: Good, description: D, language: en, license: CC0-1.0}\n"
SMILE = '  - {id: smile, text: "What made you smile today?", category: small-joys}\n'
TEA = '  - {id: tea, text: "Which tea suits a rainy afternoon?", category: food}\n'


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "good.yaml").write_text(HEAD + "prompts:\n" + SMILE)
    monkeypatch.setenv("TIGERBIRD_PROMPTS_DIR", str(packs))
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def texts(*flags: str) -> list[str]:
    code, output = invoke("prompts", "list", "--all", *flags)
    assert code == 0, output
    return [line for line in output.splitlines() if "│" in line]


def test_import_takes_a_folder_of_packs(db: Path) -> None:
    folder = db / "mine"
    folder.mkdir()
    (folder / "a.yaml").write_text(HEAD.replace("good", "mine") + "prompts:\n" + TEA)
    (folder / "b.yml").write_text(HEAD.replace("good", "more") + "prompts:\n" + SMILE)

    code, output = invoke("prompts", "import", str(folder))

    assert code == 0, output
    assert "imported 2 prompt(s) from 2 file(s); 0 left as they were" in output
    listed = "\n".join(texts())
    assert "Which tea suits a rainy afternoon?" in listed and "What made you smile" in listed


def test_an_import_that_adds_nothing_says_why_per_prompt_and_update_applies(db: Path) -> None:
    first = db / "first.yaml"
    first.write_text(HEAD.replace("good", "mine") + "prompts:\n" + TEA + SMILE)
    assert invoke("prompts", "import", str(first))[0] == 0
    edited = db / "edited.yaml"
    edited.write_text(
        HEAD.replace("good", "mine")
        + "prompts:\n"
        + TEA.replace("rainy afternoon", "snowy morning")
        + SMILE
    )

    code, output = invoke("prompts", "import", str(edited))

    assert code == 0
    assert "imported 0 prompt(s) from 1 file(s); 2 left as they were" in output
    assert f"{edited}:3: mine/tea: already present with other text; --update replaces it" in output
    assert f"{edited}:4: mine/smile: already present, identical" in output
    assert "snowy" not in "\n".join(texts())

    code, output = invoke("prompts", "import", str(edited), "--update")

    assert code == 0
    assert "imported 0 prompt(s) from 1 file(s), updated 1; 1 left as they were" in output
    rows = texts()
    assert sum("snowy morning" in row for row in rows) == 1
    assert not any("rainy" in row for row in rows)


def test_update_leaves_built_in_prompts_to_their_pack(db: Path) -> None:
    assert invoke("db", "upgrade")[0] == 0
    clash = db / "clash.yaml"
    clash.write_text(HEAD + "prompts:\n" + SMILE.replace("smile today", "laugh today"))

    code, output = invoke("prompts", "import", str(clash), "--update")

    assert code == 0
    assert "good/smile: a built-in prompt with other text; edit its pack instead" in output
    assert not any("laugh" in row for row in texts())


def test_two_files_with_one_key_and_other_text_are_refused_naming_both(db: Path) -> None:
    a, b = db / "a.yaml", db / "b.yaml"
    a.write_text(HEAD.replace("good", "mine") + "prompts:\n" + TEA)
    b.write_text(HEAD.replace("good", "mine") + "prompts:\n" + TEA.replace("rainy", "snowy"))

    code, output = invoke("prompts", "import", str(a), str(b))

    assert code == 2
    assert f"{b}:3: id: 'mine/tea' is also at {a}:3, with other text" in output
    assert texts() == texts()[:1]  # the header row only: nothing stored


def test_an_empty_file_is_an_error_naming_it(db: Path) -> None:
    empty = db / "new.csv"
    empty.write_text("")
    code, output = invoke("prompts", "import", str(empty))
    assert code == 2 and f"{empty}:1: file: the file is empty" in output
    code, output = invoke("prompts", "lint", str(empty))
    assert code == 1 and f"{empty}:1: file: the file is empty" in output


def test_lint_of_a_folder_counts_every_file_it_read(db: Path) -> None:
    folder = db / "mine"
    folder.mkdir()
    (folder / "a.yaml").write_text(HEAD.replace("good", "mine") + "prompts:\n" + TEA)
    (folder / "b.yaml").write_text(HEAD.replace("good", "more") + "prompts:\n" + SMILE)
    (folder / "c.yaml").write_text(HEAD.replace("good", "bad") + "prompts: []\n")

    code, output = invoke("prompts", "lint", str(folder))

    assert code == 1
    assert "0 prompts in 3 file(s): 1 errors" in output
    (folder / "c.yaml").unlink()
    code, output = invoke("prompts", "lint", str(folder))
    assert code == 0 and "2 prompts in 2 file(s): 0 errors, 0 warnings" in output


def test_lint_shows_progress_on_a_terminal_only(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = db / "p.yaml"
    pack.write_text(HEAD + "prompts:\n" + SMILE + TEA)
    terminal = io.StringIO()
    monkeypatch.setattr(prompts_lint, "PROGRESS_FROM", 1)
    monkeypatch.setattr(
        prompts_lint,
        "progress_console",
        lambda: Console(file=terminal, force_terminal=True, width=100),
    )

    code, output = invoke("prompts", "lint", str(pack))

    assert code == 0 and "near-duplicates" in terminal.getvalue() and "rules" in terminal.getvalue()
    assert "near-duplicates" not in output
    monkeypatch.setattr(prompts_lint, "progress_console", lambda: Console(file=io.StringIO()))
    result = runner.invoke(app, ["prompts", "lint", str(pack)])
    assert result.output.splitlines() == ["2 prompts in 1 file(s): 0 errors, 0 warnings"]


def test_prompt_text_with_markup_prints_literally(db: Path) -> None:
    pack = db / "odd.txt"
    pack.write_text("What does [/x] mean to you?\nWhich [bold]tea[/bold] is best?\n")
    assert invoke("prompts", "import", str(pack), "--category", "food")[0] == 0

    code, output = invoke("prompts", "list")

    assert code == 0
    assert "What does [/x] mean to you?" in output
    assert "Which [bold]tea[/bold] is best?" in output
    code, output = invoke("prompts", "stats")
    assert code == 0 and "food" in output


def test_db_upgrade_syncs_the_library_so_preview_shows_real_prompts(db: Path) -> None:
    code, output = invoke("db", "upgrade")
    assert code == 0 and "prompt library: 1 packs, 1 new, 0 updated, 0 retired" in output
    code, output = invoke(
        "schedule", "add", "--platform", "console", "--channel", "console", "--at", "09:00"
    )
    assert code == 0, output

    code, output = invoke("schedule", "preview", "1", "--count", "1")

    assert code == 0 and "What made you smile today?" in output


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("missing", "TIGERBIRD_PROMPTS_DIR: {dir} does not exist"),
        ("empty", "TIGERBIRD_PROMPTS_DIR: {dir} holds no .yaml or .yml pack"),
    ],
)
def test_a_missing_or_empty_prompts_dir_stops_and_retires_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch, setting: str, message: str
) -> None:
    assert invoke("db", "upgrade")[0] == 0
    folder = db / setting
    if setting == "empty":
        folder.mkdir()
    monkeypatch.setenv("TIGERBIRD_PROMPTS_DIR", str(folder))

    code, output = invoke("db", "upgrade")

    assert code == 2
    assert output.strip().splitlines()[-1] == "error: " + message.format(dir=folder)
    assert any("│ builtin │ active" in row for row in texts())


def test_a_bad_pack_at_start_is_one_line_and_changes_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("db", "upgrade")[0] == 0
    bad = db / "bad"
    bad.mkdir()
    (bad / "good.yaml").write_text(HEAD + "prompts:\n" + SMILE.replace("small-joys", "snacks"))
    (bad / "more.yaml").write_text(HEAD.replace("good", "more") + "prompts:\n" + TEA)
    monkeypatch.setenv("TIGERBIRD_PROMPTS_DIR", str(bad))

    code, output = invoke("run")

    assert code == 2
    [line] = [line for line in output.splitlines() if "error" in line]
    assert line.startswith(f"error: {bad / 'good.yaml'}:3: category: unknown category 'snacks'")
    rows = texts()
    assert any("What made you smile today?" in row and "active" in row for row in rows)
    assert not any("Which tea" in row for row in rows)


def test_past_the_near_duplicate_bound_lint_and_import_say_so_in_one_line(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.library.report.MAX_CHECKED_PROMPTS", 1)
    pack = db / "p.yaml"
    pack.write_text(HEAD + "prompts:\n" + SMILE + TEA)
    bound = "near-duplicate check: 2 prompts (drafts and library) in one run, at most 1"

    code, output = invoke("prompts", "lint", str(pack))
    assert code == 1 and output.startswith(f"error: {bound}")

    code, output = invoke("prompts", "import", str(pack))
    assert code == 2 and f"error: {bound}" in output
    assert texts() == texts()[:1]


def test_lint_prints_markup_in_prompts_as_text(db: Path) -> None:
    pack = db / "odd.txt"
    pack.write_text("What does [/x] mean to you?\nWhat does [/x] mean for you?\n")

    code, output = invoke("prompts", "lint", str(pack), "--category", "food")

    assert code == 1
    assert "1.00 similar to import/what-does-x-mean-to-you-" in output
    assert "'What does [/x] mean to you?'" in output
