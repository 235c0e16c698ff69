"""`tigerbird prompts lint`: errors and warnings listed separately, exit 1 on errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.app.cli.prompts_lint import register

GOOD = """\
pack: {id: good, name: Good, description: D, language: en, license: CC0-1.0}
prompts:
  - {id: smile, text: "What made you smile today?", category: small-joys}
  - {id: tea, text: "Do you like tea?", category: food}
"""


@pytest.fixture
def app() -> typer.Typer:
    prompts = typer.Typer()
    register(prompts)

    @prompts.command("stats")
    def stats() -> None:  # a second command, as in the real sub-app
        """Placeholder."""

    return prompts


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "prompts").mkdir()
    return tmp_path


def run(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["lint", *args])
    return result.exit_code, result.output


def test_warnings_alone_exit_zero(app: typer.Typer, in_tmp: Path) -> None:
    Path("prompts/good.yaml").write_text(GOOD)

    code, output = run(app)

    assert code == 0
    assert "Errors" not in output
    assert "Warnings (1)" in output
    assert "good/tea: closed-question:" in output
    assert "2 prompts in 1 file(s): 0 errors, 1 warnings" in output


def test_errors_exit_one_with_file_and_line(app: typer.Typer, in_tmp: Path) -> None:
    Path("prompts/good.yaml").write_text(GOOD)
    Path("bad.txt").write_text("What's your favourite tea?\nBuy now: which tea?\n")

    code, output = run(app, "prompts", "bad.txt", "--category", "food")

    assert code == 1
    assert "Errors (1)" in output
    assert "bad.txt:2: text: promotional language: 'Buy now' (promotional)" in output
    assert "Warnings (1)" in output


def test_near_duplicates_across_files_are_errors(app: typer.Typer, in_tmp: Path) -> None:
    Path("prompts/good.yaml").write_text(GOOD)
    Path("more.csv").write_text("text,category\nWhat made you smile today?,small-joys\n")

    code, output = run(app, "prompts", "more.csv")

    assert code == 1
    assert "near-duplicate" in output and "good/smile" in output


def test_the_shipped_library_lints_clean(app: typer.Typer) -> None:
    root = Path(__file__).resolve().parent.parent

    code, output = run(app, str(root / "prompts"))

    assert code == 0, output
    assert "0 errors, 0 warnings" in output
