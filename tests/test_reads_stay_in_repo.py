"""The suite stands on its own: no test reads beside the clone (issue 13).

tests/outside_reads.py fails any test that opens a path outside the repository; these tests
prove it fires (in a separate pytest process) and that nothing in tests/ points at the old
location of the API specs, beside the clone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.contracts import contracts_dir
from tests.outside_reads import REPO_ROOT, is_outside

# Spelled in pieces so that this file does not match its own scan.
FORBIDDEN = ("../" + "shared", "shared/" + "contracts", "TIGERBIRD_" + "CONTRACTS_DIR")


def references_outside(root: Path) -> list[str]:
    """`file:line` of every mention of the old spec location under `root`."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".py", ".md", ".toml", ".cfg", ".ini", ".yaml"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(needle in line for needle in FORBIDDEN):
                found.append(f"{path.relative_to(root)}:{number}")
    return found


def test_no_test_points_beside_the_repository() -> None:
    assert references_outside(REPO_ROOT / "tests") == []


def test_the_scan_finds_a_reference_beside_the_repository(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text('SPEC = "../' + "shared/" + 'contracts/slack/x.json"\n')
    assert references_outside(tmp_path) == ["test_x.py:1"]


def test_the_specs_the_checkers_read_are_in_the_repository() -> None:
    folder = contracts_dir()
    assert folder.is_relative_to(REPO_ROOT)
    vendored = ["slack/web_api_openapi_v2.json", "slack/event_wrapper_schema.json", "README.md"]
    for name in [*vendored, "discord/openapi.json", "slack/LICENSE", "discord/LICENSE"]:
        assert (folder / name).is_file(), name


def test_paths_beside_the_repository_are_outside(tmp_path: Path) -> None:
    assert is_outside(str(REPO_ROOT.parent / "shared" / "contracts" / "README.md"))
    assert is_outside("/work/elsewhere/file.txt") or not REPO_ROOT.is_relative_to("/work")
    assert not is_outside(str(REPO_ROOT / "prompts" / "playful.yaml"))
    assert not is_outside(str(tmp_path / "scratch.txt"))
    assert not is_outside(sys.executable)


READER = """
def read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return ""
"""


def test_a_test_that_reads_beside_the_repository_fails(tmp_path: Path) -> None:
    beside = REPO_ROOT.parent / "shared" / "contracts" / "README.md"
    at_collection = REPO_ROOT.parent / "collect-time.txt"
    (tmp_path / "test_reads.py").write_text(
        f"{READER}\n"
        f"def test_beside():\n    read({str(beside)!r})\n\n"
        f"def test_inside():\n    assert read({str(REPO_ROOT / 'pyproject.toml')!r})\n"
    )
    (tmp_path / "test_collect.py").write_text(
        f"{READER}\nread({str(at_collection)!r})\n\ndef test_trivial():\n    pass\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
         "tests.outside_reads", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "ERROR test_reads.py::test_beside" in output, output
    assert f"read outside the repository: [{str(beside)!r}]" in output, output
    assert "3 passed, 1 error" in output, output  # test_beside passes, then errors
    assert f"read outside the repository outside a test: [{str(at_collection)!r}]" in output
