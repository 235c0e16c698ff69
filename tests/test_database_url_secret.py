"""A password in DATABASE_URL never shows: repr, JSON dump, errors; the engine gets it all."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.app.settings import Settings
from bot.storage.engine import alembic_config, upgrade
from tests.conftest import require_postgres

PASSWORD = "s3cr%40t-pw"  # URL-encoded "s3cr@t-pw"
runner = CliRunner()


def test_repr_and_dumps_hide_the_password_and_the_engine_gets_it() -> None:
    settings = Settings(DATABASE_URL=f"postgresql://tb:{PASSWORD}@db.example:5432/tigerbird")
    for shown in (repr(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert PASSWORD not in shown and "s3cr@t" not in shown
        assert "postgresql+asyncpg://tb:***@db.example:5432/tigerbird" in shown
    assert settings.database_url == f"postgresql+asyncpg://tb:{PASSWORD}@db.example:5432/tigerbird"


def test_an_unsupported_url_is_refused_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"mysql://tb:{PASSWORD}@db.example/tigerbird"
    with pytest.raises(ValidationError) as raised:
        Settings(DATABASE_URL=url)
    assert PASSWORD not in str(raised.value) and "mysql://tb:***@db.example" in str(raised.value)
    monkeypatch.setenv("DATABASE_URL", url)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert result.output.startswith("error: DATABASE_URL: 'mysql://tb:***@db.example/tigerbird'")
    assert PASSWORD not in result.output


def test_no_rejected_setting_echoes_its_value() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(TIGERBIRD_HTTP_PORT="secret-looking-99999")
    assert "secret-looking" not in str(raised.value)


def test_a_url_encoded_password_survives_alembics_config() -> None:
    url = f"postgresql+asyncpg://tb:{PASSWORD}@127.0.0.1:5432/tigerbird"
    assert alembic_config(url).get_main_option("sqlalchemy.url") == url


def test_migrations_run_with_a_url_encoded_password() -> None:
    """Against the test PostgreSQL (trust authentication ignores the password)."""
    base = require_postgres()
    scheme, rest = base.split("://", 1)
    user, host = rest.split("@", 1)
    upgrade(f"{scheme}://{user.split(':')[0]}:{PASSWORD}@{host}")


def test_an_unparsable_url_is_shown_without_what_precedes_the_at_sign(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "tb:hunter2@db.example")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2 and "hunter2" not in result.output
    assert "'***@db.example' is not supported" in result.output
