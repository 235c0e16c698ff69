"""`tigerbird stats` and `tigerbird export` over a seeded SQLite database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli.main import app
from tests.test_analytics_chat import assert_real_chart
from tests.test_analytics_history import seed_history
from tests.test_privacy import on_db

runner = CliRunner()


@pytest.fixture
def db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    on_db(sqlite_url, seed_history)
    return sqlite_url


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_stats_table_csv_and_png(db: str, tmp_path: Path) -> None:
    rows_file, chart = tmp_path / "stats.csv", tmp_path / "stats.png"
    args = ["stats", "--community", "Alpha", "--channel", "C1", "--since", "all"]
    result = runner.invoke(app, [*args, "--csv", str(rows_file), "--png", str(chart)])

    assert result.exit_code == 0, result.output
    assert "Alpha #C1: 4 posts · engagement 12.1% →" in result.output
    assert "Question 1?" in result.output and "small-joys" in result.output
    rows = read_csv(rows_file)
    assert [(r["prompt"], r["times_posted"], r["responders"], r["audience"]) for r in rows] == [
        ("Question 1?", "2", "3", "20"),
        ("Question 2?", "1", "1", "10"),
        ("Question 3?", "1", "0", "3"),
    ]
    assert (rows[0]["rate"], rows[0]["pooled_rate"]) == ("0.1500", "0.2083")
    assert (rows[0]["replies"], rows[0]["reactions"], rows[0]["median_first_response_min"]) == (
        "2",
        "3",
        "7.5",
    )
    assert float(rows[0]["ci90_low"]) < 0.15 < float(rows[0]["ci90_high"])
    assert_real_chart(chart.read_bytes())


def test_stats_everywhere_and_bad_options(db: str) -> None:
    everywhere = runner.invoke(app, ["stats", "--since", "all"])
    assert everywhere.exit_code == 0, everywhere.output
    assert "all communities: 5 posts · engagement 16.2%" in everywhere.output
    unknown = runner.invoke(app, ["stats", "--community", "Gamma"])
    assert unknown.exit_code == 2 and "no community 'Gamma'; known: T1 (Alpha), T2 (Beta)" in (
        unknown.output
    )
    bad = runner.invoke(app, ["stats", "--since", "lately"])
    assert bad.exit_code == 2 and "--since: 'lately' must be like 30d" in bad.output


def test_export_posts_and_responses(db: str, tmp_path: Path) -> None:
    posts_file, responses_file = tmp_path / "posts.csv", tmp_path / "responses.csv"
    assert runner.invoke(app, ["export", "posts", "--csv", str(posts_file)]).exit_code == 0
    result = runner.invoke(app, ["export", "responses", "--csv", str(responses_file)])
    assert result.exit_code == 0 and "wrote 8 responses" in result.output

    posts = read_csv(posts_file)
    assert [(p["community"], p["channel"], p["prompt"]) for p in posts][:2] == [
        ("T1", "C1", "Question 1?"),
        ("T2", "C2", "Question 1?"),
    ]
    assert len(posts) == 5 and posts[0]["audience"] == "10"
    responses = read_csv(responses_file)
    assert {r["member_key"] for r in responses} == {"m1", "m2", "m3", "m8", "m9"}
    assert sum(r["kind"] == "reply" for r in responses) == 2
