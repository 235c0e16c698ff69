"""The deployment files work as written (issue 13), checked statically: no Docker engine or
systemd is needed. Compose passes every setting to the workers, the image installs the wheel
and runs unprivileged with a health check, the systemd instance names are legal, and `make run`
does not reinstall when nothing changed."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNIT_NAME = re.compile(r"^[A-Za-z0-9:_.\\-]+@[A-Za-z0-9:_.\\-]*\.service$")


def test_compose_gives_every_service_of_the_image_the_whole_env_file() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    built = {name: s for name, s in compose["services"].items() if "build" in s}
    assert {"migrate", "worker-0", "worker-1", "worker-2", "worker-3"} <= set(built)
    for name, service in built.items():
        assert service.get("env_file") == [".env"], name
        env = service["environment"]
        userinfo = env["DATABASE_URL"].split("://", 1)[1].split("@", 1)[0]
        assert userinfo == "tigerbird", name  # the user only: the password goes apart
        assert env["DATABASE_PASSWORD"].startswith("${POSTGRES_PASSWORD"), name


def test_compose_holds_no_secret() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    for line in text.splitlines():
        match = re.search(r"(TOKEN|SECRET|PASSWORD|KEY)\w*:\s*(\S+)", line)
        if match:
            assert match.group(2).startswith("${"), line


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines() if line.strip()]
    split = [line.split(None, 1) for line in lines if not line.startswith("#")]
    return [(op, arg) for op, arg in split]


def test_the_image_installs_the_wheel_and_runs_unprivileged_with_a_health_check() -> None:
    steps = _instructions((DEPLOY / "Dockerfile").read_text())
    final = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM") :]
    runs = " ".join(arg for op, arg in final if op == "RUN")
    assert re.search(r"pip install [^&]*\.whl", runs), runs
    assert " -e " not in f" {runs} " and "--editable" not in runs
    users = [arg for op, arg in final if op == "USER"]
    assert users and users[-1] not in {"root", "0"}
    health = [arg for op, arg in final if op == "HEALTHCHECK"]
    assert health and '"tigerbird", "health"' in health[0]
    build_runs = " ".join(arg for op, arg in steps if op == "RUN")
    assert "pip wheel" in build_runs
    copied = " ".join(arg for op, arg in steps if op == "COPY")
    for needed in ("pyproject.toml", "setup.py", "bot", "adapters", "migrations", "prompts"):
        assert needed in copied.split(), needed


def systemd_escape(text: str) -> str:
    """What `systemd-escape` prints (systemd's unit_name_escape)."""
    out = []
    for i, char in enumerate(text):
        if char == "/":
            out.append("-")
        elif char.isascii() and (char.isalnum() or char in ":_" or (char == "." and i > 0)):
            out.append(char)
        else:
            out.append(f"\\x{ord(char):02x}")
    return "".join(out)


def _shell_block(markdown: str, after: str) -> list[str]:
    section = markdown[markdown.index(after) :]
    block = section[section.index("```sh\n") + 6 :]
    return block[: block.index("```")].splitlines()


def _instances(command: str) -> list[str]:
    """The unit names `systemctl enable` gets, with `$(systemd-escape X)` evaluated."""
    expanded = re.sub(
        r"\$\(systemd-escape ([^)]+)\)", lambda m: systemd_escape(m.group(1)), command
    )
    return [word for word in shlex.split(expanded) if word.startswith("tigerbird@")]


def test_the_systemd_example_uses_legal_instance_names_and_existing_files() -> None:
    lines = _shell_block((ROOT / "docs" / "deploy.md").read_text(), "## systemd")
    enable = [line for line in lines if "systemctl enable" in line]
    names = [name for line in enable for name in _instances(line)]
    assert names == ["tigerbird@0\\x2c1", "tigerbird@2\\x2c3"]
    for name in names:
        assert UNIT_NAME.match(name + ".service"), name
    unit = (DEPLOY / "systemd" / "tigerbird@.service").read_text()
    assert "DISCORD_SHARD_IDS=%I" in unit  # %I unescapes 0\x2c1 back to 0,1
    assert "%i" not in unit
    for line in lines:
        for word in shlex.split(line.split("#", 1)[0]) if line.strip() else []:
            if word.startswith("deploy/"):
                assert (ROOT / word).is_file(), word
        if line.startswith("sudo install ") and "/etc/" in line:
            assert " -D " in line, line  # /etc/tigerbird does not exist yet
        assert "pip install -e" not in line


def test_the_escape_matches_systemd_escape_when_it_is_installed() -> None:
    binary = shutil.which("systemd-escape")
    if binary is None:
        pytest.skip("systemd-escape is not installed")
    for text in ("0,1", "2,3", "0"):
        result = subprocess.run([binary, text], capture_output=True, text=True, check=True)
        assert result.stdout.strip() == systemd_escape(text)


def test_make_run_does_not_reinstall_when_nothing_changed(tmp_path: Path) -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml", "setup.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "activate").touch()
    (tmp_path / ".venv" / ".installed").touch()
    dry = subprocess.run([make, "-n", "run"], cwd=tmp_path, capture_output=True, text=True)
    assert "pip install" not in dry.stdout, dry.stdout
    assert "tigerbird run" in dry.stdout
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text() + "\n")
    os.utime(tmp_path / ".venv" / ".installed", (0, 0))
    dry = subprocess.run([make, "-n", "run"], cwd=tmp_path, capture_output=True, text=True)
    assert "pip install --quiet -e ." in dry.stdout, dry.stdout
