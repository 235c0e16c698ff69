"""Test helpers are imported as packages (`tests.slack.fake_slack`), never through `sys.path`
inserts, so `mypy --strict bot adapters tests` sees every fake next to the Protocol it stands in
for (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATH_EDIT = re.compile(r"\bsys\.path\s*(\.\s*(insert|append|extend)\b|\+?=)")


def test_every_folder_of_tests_is_a_package() -> None:
    folders = {path.parent for path in (ROOT / "tests").rglob("*.py")}
    plain = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file())
    assert plain == []


def test_no_sys_path_edits_in_tests_or_benchmarks() -> None:
    edits = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("tests", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PATH_EDIT.search(line)
    ]
    assert edits == []


def test_the_check_sees_a_sys_path_edit() -> None:
    assert PATH_EDIT.search("sys.path.insert(0, str(ROOT))")
    assert PATH_EDIT.search("sys.path += [here]")
    assert not PATH_EDIT.search("if str(folder) in sys.path:")
