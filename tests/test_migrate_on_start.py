"""The bot migrates on start, and skips Alembic only when the database is already at head."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from bot.storage.engine import (
    alembic_config,
    database_revisions,
    downgrade,
    make_engine,
    migrate_to_head,
    script_heads,
)


def test_the_heads_are_alembics_own() -> None:
    alembic_heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert script_heads() == set(alembic_heads) != set()


async def test_start_migrates_a_new_or_behind_database_and_skips_one_at_head(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'start.db'}"
    engine = make_engine(url)
    assert await database_revisions(engine) == set()
    assert await migrate_to_head(url, engine) is True
    assert await database_revisions(engine) == script_heads()
    assert await migrate_to_head(url, engine) is False

    downgrade(url, "0001")
    assert await database_revisions(engine) == {"0001"}
    assert await migrate_to_head(url, engine) is True
    assert await database_revisions(engine) == script_heads()
    await engine.dispose()
