"""Engine creation and schema upgrades (Alembic is the only source of the schema).

At start-up a database already at the head revision is recognised with Alembic's own script
directory and migration context; `alembic upgrade` (and its env.py) runs only when it is behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot._data import migrations_dir
from bot.storage.sqlite_file import check_file, sqlite_path, watch

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = migrations_dir()


def make_engine(url: str) -> AsyncEngine:
    """An async engine; on SQLite, foreign keys on and a busy timeout so that a second
    writer waits instead of failing with 'database is locked', and the file checked and
    watched (bot.storage.sqlite_file). Bound values never reach logs or error messages."""
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            check_file(path)
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        if path is not None:
            watch(engine.sync_engine, path)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_async_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
    )


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolates '%': a URL-encoded password (p%40ss) must be escaped.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _outside_event_loop(work: Callable[[], None]) -> None:
    """Alembic's async env runs its own event loop; from inside a running loop, use a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        work()
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(work).result()


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to `revision` (blocking)."""
    path = sqlite_path(url)
    if path is not None:
        check_file(path)
    from alembic import command

    _outside_event_loop(lambda: command.upgrade(alembic_config(url), revision))


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    _outside_event_loop(lambda: command.downgrade(alembic_config(url), revision))


async def upgrade_async(url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, url, revision)


def script_heads() -> set[str]:
    """The head revisions of the migration scripts, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory(str(MIGRATIONS)).get_heads())


async def database_revisions(engine: AsyncEngine) -> set[str]:
    """The revisions recorded in the database (empty for a database never migrated)."""
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as conn:
        heads = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads())
    return set(heads)


async def migrate_to_head(url: str, engine: AsyncEngine) -> bool:
    """Apply pending migrations unless the database is already at head; True if it migrated.

    Any doubt (several heads, no version table, an unknown revision) runs Alembic itself."""
    heads = script_heads()
    if heads and await database_revisions(engine) == heads:
        return False
    await upgrade_async(url)
    return True
