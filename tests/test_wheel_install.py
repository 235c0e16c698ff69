"""A built wheel, installed in a fresh venv outside the repository, runs the first-run commands
(issue 13): the migrations and the prompt packs ship inside the package, and the console run
posts a prompt and exits cleanly when stdin is closed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}:\n{output}"
    assert "Traceback" not in output, output
    return output


@pytest.mark.slow
def test_the_wheel_runs_db_upgrade_prompts_stats_and_run(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"),
          str(ROOT)], tmp_path, base)  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("tigerbird-*.whl")
    _run([sys.executable, "-m", "venv", str(tmp_path / "venv")], tmp_path, base)
    bin_dir = tmp_path / "venv" / "bin"
    # The dependencies come from the test's own environment (a path line, so none of its .pth
    # hooks, the editable install's included, run): what is checked is that the package itself
    # carries everything it needs at run time, without the repository.
    (site,) = (tmp_path / "venv" / "lib").glob("python3*/site-packages")
    deps = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site / "deps-from-test-env.pth").write_text("\n".join(deps) + "\n")
    _run([str(bin_dir / "pip"), "install", "-q", "--no-deps", str(wheel)], tmp_path, base)

    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in base.items() if not k.startswith(("SLACK_", "DISCORD_", "TIGERBIRD_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{work / 'tigerbird.db'}", COLUMNS="100")
    where = _run([str(bin_dir / "python"), "-c", "import bot; print(bot.__file__)"], work, env)
    assert Path(where.strip()).is_relative_to(tmp_path / "venv"), where  # not the repository's

    tigerbird = str(bin_dir / "tigerbird")
    assert "latest schema" in _run([tigerbird, "db", "upgrade"], work, env)
    _run([tigerbird, "prompts", "stats"], work, env)
    output = _run([tigerbird, "run", "--post-now"], work, env, timeout=120)
    assert "Tigerbird ·" in output, output  # the prompt posted to the console
    assert "Tigerbird stopped." in output, output
