"""DATABASE_PASSWORD goes into DATABASE_URL percent-encoded, so `@`, `:` or `/` in it still give
a valid URL (issue 13, deploy/compose.yaml); `tigerbird health` answers 0/1 for the HEALTHCHECK."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.app.database_url import with_password
from bot.app.settings import Settings
from bot.storage.engine import upgrade


@pytest.mark.parametrize("password", ["p@ss:word", "a/b%c?d#e", "plain", "ünï cødé@:"])
def test_any_password_gives_a_url_that_reads_back(password: str) -> None:
    url = with_password("postgresql+asyncpg://tigerbird@db:5432/tigerbird", password)
    parsed = make_url(url)
    assert (parsed.username, parsed.password, parsed.host, parsed.port, parsed.database) == (
        "tigerbird", password, "db", 5432, "tigerbird",
    )  # fmt: skip


def test_a_password_in_the_url_is_replaced() -> None:
    url = with_password("postgresql+asyncpg://u:old@h/d", "n@w")
    assert make_url(url).password == "n@w"


def test_settings_put_database_password_into_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://tigerbird@db:5432/tigerbird")
    monkeypatch.setenv("DATABASE_PASSWORD", "s3cr@t:pw")
    parsed = make_url(Settings(_env_file=None).database_url)
    assert parsed.drivername == "postgresql+asyncpg"
    assert (parsed.username, parsed.password, parsed.host) == ("tigerbird", "s3cr@t:pw", "db")


def test_a_password_for_sqlite_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///x.db")
    monkeypatch.setenv("DATABASE_PASSWORD", "pw")
    result = CliRunner().invoke(app, ["health"])
    assert result.exit_code == 2
    assert "DATABASE_PASSWORD: needs DATABASE_URL=postgresql+asyncpg://USER@HOST" in result.output
    assert "Traceback" not in result.output


def test_health_is_0_at_the_latest_schema_and_1_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tb.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("DATABASE_PASSWORD", raising=False)
    result = CliRunner().invoke(app, ["health"])
    assert result.exit_code == 1 and "schema empty" in result.output, result.output
    upgrade(url)
    result = CliRunner().invoke(app, ["health"])
    assert result.exit_code == 0 and "healthy" in result.output, result.output
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@127.0.0.1:1/none")
    result = CliRunner().invoke(app, ["health"])
    assert result.exit_code == 1 and "does not answer" in result.output, result.output
