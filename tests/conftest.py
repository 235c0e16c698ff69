"""Shared fixtures: the same stores (memory, SQLite, PostgreSQL) for every contract test."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.ports import UnitOfWorkFactory
from bot.storage.engine import make_engine, make_sessions, upgrade
from bot.storage.models import Base
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.memory import MemoryStore

# Every test is watched for reads outside the repository (tests/outside_reads.py).
pytest_plugins = ["tests.outside_reads"]

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
# `tigerbird run` serves the dashboard on TIGERBIRD_HTTP_PORT: any free port in tests (the
# bots the tests start inherit it), never a fixed one another run may hold.
os.environ.setdefault("TIGERBIRD_HTTP_PORT", "0")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


def _postgres_reachable() -> bool:
    if not PG_URL:
        return False
    engine = make_engine(PG_URL)

    async def probe() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("select 1"))
        await engine.dispose()

    def run() -> None:
        asyncio.run(asyncio.wait_for(probe(), 5))

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(run).result()
    except Exception:
        return False
    return True


_PG_OK: bool | None = None


def require_postgres() -> str:
    """The PostgreSQL URL; in CI an unreachable database fails the suite instead of skipping."""
    global _PG_OK
    if _PG_OK is None:
        _PG_OK = _postgres_reachable()
        if _PG_OK:
            upgrade(PG_URL)
    if not _PG_OK:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but PostgreSQL is unreachable at TEST_DATABASE_URL={PG_URL!r}")
        pytest.skip("TEST_DATABASE_URL not set or PostgreSQL unreachable")
    return PG_URL


async def truncate_all(engine: AsyncEngine) -> None:
    names = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    target = tmp_path / "tigerbird.db"
    target.write_bytes(sqlite_template.read_bytes())
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    """A unit-of-work factory over each backend in turn."""
    if request.param == "memory":
        yield MemoryStore()
        return
    url = request.getfixturevalue("sqlite_url") if request.param == "sqlite" else require_postgres()
    engine = make_engine(url)
    if request.param == "postgres":
        await truncate_all(engine)
    yield SqlUnitOfWorkFactory(make_sessions(engine))
    await engine.dispose()


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
