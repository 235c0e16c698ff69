"""Alembic owns the schema: upgrade → downgrade → upgrade on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import inspect

from bot.storage.engine import downgrade, make_engine, upgrade
from bot.storage.models import Base
from tests.conftest import require_postgres, truncate_all


def _tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = make_engine(url)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        await engine.dispose()
        return names - {"alembic_version"}

    return asyncio.run(read())


def _round_trip(url: str) -> None:
    upgrade(url)
    assert _tables(url) == set(Base.metadata.tables)
    downgrade(url, "base")
    assert _tables(url) == set()
    upgrade(url)
    assert _tables(url) == set(Base.metadata.tables)


def test_sqlite_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    _round_trip(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")


def test_postgres_upgrade_downgrade_upgrade() -> None:
    url = require_postgres()
    _round_trip(url)
    engine = make_engine(url)
    asyncio.run(truncate_all(engine))


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """Autogenerate finds nothing to add: the models and the migrations describe one schema."""
    from alembic import command

    from bot.storage.engine import alembic_config

    url = f"sqlite+aiosqlite:///{tmp_path / 'check.db'}"
    upgrade(url)
    command.check(alembic_config(url))
