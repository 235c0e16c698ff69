"""Never a traceback: bad scenarios, output paths, Slack settings and unreachable services are
one line naming the setting, file or value, a non-zero exit, and nothing stored is lost."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import bot.app.cli.simulate as simulate_cli
from bot.app.cli.main import app
from bot.simulation import simulator

runner = CliRunner()
SMALL = (
    "days: 20\nchannels: {count: 4, late_join: {from_day: 5, to_day: 10}}\nprompts: {count: 30}\n"
)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env from the checkout
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "DISCORD_TOKEN",
        "TIGERBIRD_TIMEZONE",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def one_error(result: Result) -> str:
    """The run ended with a handled exit != 0 and printed exactly one `error:` line."""
    assert result.exit_code not in (0, None), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"days: 0\n", "days: 0 is out of range (allowed 1..3650)"),
        (b"prompts: {count: -5}\n", "prompts.count: -5 is out of range"),
        (b"channels: {count: -1}\n", "channels.count: -1 is out of range"),
        (b"new_prompts_per_week: -2\n", "new_prompts_per_week: -2 is out of range"),
        (b"channels: {late_join: {fraction: 1.5}}\n", "channels.late_join.fraction: 1.5"),
        (b"channels: {audience: {min: 50, max: 10}}\n", "min 50 is above max 10"),
        (b"day_of_week: [1, 1, 1, 1, 1, 1, .nan]\n", "day_of_week:"),
        (b"day_of_week: [1, 1, 1, 1, 1, 1, x]\n", "day_of_week must list 7 numbers"),
        (b"seed: -3\n", "seed: -3 is out of range"),
        (b"days: [1, 2\n", ":2: not valid YAML"),
        (b"1: 2\n", "unknown key(s) in scenario: 1"),
        (b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary", "not UTF-8 text"),
        (
            b"days: 3650\nchannels: {count: 10000}\nprompts: {count: 100000}\n",
            "too large: days × channels.count × prompts would need about",
        ),
    ],
)
def test_bad_scenarios_are_one_line_naming_file_and_value(
    db: Path, content: bytes, expected: str
) -> None:
    scenario = db / "scenario.yaml"
    scenario.write_bytes(content)
    line = one_error(runner.invoke(app, ["simulate", "--scenario", str(scenario)]))
    assert "scenario.yaml" in line and expected in line


def test_a_missing_scenario_file_is_named(db: Path) -> None:
    line = one_error(runner.invoke(app, ["simulate", "--scenario", str(db / "nope.yaml")]))
    assert "nope.yaml: cannot read" in line


def test_a_negative_seed_is_refused_by_name(db: Path) -> None:
    line = one_error(runner.invoke(app, ["simulate", "--seed", "-1"]))
    assert line == "error: --seed: -1 is out of range (allowed 0..4294967295)"


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["simulate", "--plot", "{missing}/cumulative.png"], "--plot"),
        (["stats", "--csv", "{missing}/stats.csv"], "--csv"),
        (["stats", "--png", "{missing}/stats.png"], "--png"),
        (["export", "posts", "--csv", "{missing}/posts.csv"], "--csv"),
        (["export", "responses", "--csv", "{missing}/responses.csv"], "--csv"),
        (["prompts", "export", "--format", "csv", "-o", "{missing}/library.csv"], "--output"),
    ],
)
def test_output_into_a_missing_folder_fails_before_any_work(
    db: Path, argv: list[str], option: str
) -> None:
    missing = db / "no" / "such"
    line = one_error(runner.invoke(app, [a.format(missing=missing) for a in argv]))
    assert line.startswith(f"error: {option}: folder {missing} does not exist")


def test_a_plot_with_an_unknown_format_is_refused_before_running(db: Path) -> None:
    line = one_error(runner.invoke(app, ["simulate", "--plot", str(db / "chart.txt")]))
    assert "--plot:" in line and ".png" in line


def test_a_failed_plot_write_keeps_the_finished_simulation(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = db / "small.yaml"
    scenario.write_text(SMALL)
    folder = db / "charts"
    folder.mkdir()
    real = simulator.simulate

    def simulate_then_lose_the_folder(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        shutil.rmtree(folder)  # the folder disappears while the simulation runs
        return result

    monkeypatch.setattr(simulate_cli, "simulate", simulate_then_lose_the_folder)
    result = runner.invoke(
        app, ["simulate", "--scenario", str(scenario), "--plot", str(folder / "c.png")]
    )
    line = one_error(result)
    assert line.startswith(f"error: --plot: cannot write {folder / 'c.png'}")
    assert "tigerbird" in result.output and "oracle" in result.output  # the results are printed


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxb-1"},
            "error: SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET",
        ),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"},
            "missing: SLACK_CLIENT_SECRET",
        ),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c"},
            "missing: SLACK_SIGNING_SECRET",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_CLIENT_ID": "1.2"},
            "missing: SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET",
        ),
        (
            {"SLACK_APP_TOKEN": "xapp-1"},
            "error: SLACK_APP_TOKEN set without SLACK_BOT_TOKEN",
        ),
        (
            {"SLACK_SIGNING_SECRET": "s"},
            "error: SLACK_SIGNING_SECRET set without SLACK_BOT_TOKEN",
        ),
    ],
)
def test_slack_settings_that_cannot_run_stop_the_start_naming_them(
    db: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for argv in (["schedule", "list"], ["run"]):
        line = one_error(runner.invoke(app, argv))
        assert expected in line
        for secret in ("xoxb-1", "xapp-1"):
            assert secret not in line
    assert not (db / "cli.db").exists()  # refused before touching the database


@pytest.mark.parametrize("argv", [["db", "upgrade"], ["schedule", "list"]])
def test_an_unreachable_postgresql_is_one_line_without_its_password(
    db: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://tiger:s3cret@127.0.0.1:1/tigerbird")
    line = one_error(runner.invoke(app, argv))
    assert line == (
        "error: database: cannot reach postgresql+asyncpg://tiger:***@127.0.0.1:1/tigerbird "
        "(connection refused)"
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_port_in_use_is_labelled_http_not_database(
    db: Path, monkeypatch: pytest.MonkeyPatch, busy_port: int
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:1/api/")
    monkeypatch.setenv("TIGERBIRD_HTTP_PORT", str(busy_port))
    line = one_error(runner.invoke(app, ["run"]))
    assert line == (
        f"error: http: port {busy_port} is in use (set TIGERBIRD_HTTP_PORT to a free port)"
    )


def test_an_unreachable_discord_is_labelled_discord_not_database(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    monkeypatch.setenv("DISCORD_API_URL", "http://127.0.0.1:1/api/v10")
    line = one_error(runner.invoke(app, ["run"]))
    assert line == "error: discord: cannot connect to 127.0.0.1:1 (connection refused)"
    # the database it had opened is intact and reusable
    assert runner.invoke(app, ["schedule", "list"]).exit_code == 0
