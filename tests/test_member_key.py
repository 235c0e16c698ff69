"""The member key: never in any log, fingerprinted in the database, a different key refused;
manager listings are part of a member's data (export and forget), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import TypeVar

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.core.domain import PlatformName
from bot.core.ports import UnitOfWorkFactory
from bot.engagement.members import MEMBER_KEY_STATE, MemberKeyMismatch, load_member_keys
from bot.storage.engine import make_engine, make_sessions
from bot.storage.models import CommunityRow
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.conftest import require_postgres, truncate_all
from tests.test_privacy import SECRET, seed_with_member, snapshot

T = TypeVar("T")
runner = CliRunner()


async def stored_state(store: UnitOfWorkFactory, key: str) -> str | None:
    async with store() as u:
        return await u.state.get(key)


# --- never logged ---------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
async def sql_store(request: pytest.FixtureRequest) -> AsyncIterator[SqlUnitOfWorkFactory]:
    url = request.getfixturevalue("sqlite_url") if request.param == "sqlite" else require_postgres()
    engine = make_engine(url)
    if request.param == "postgres":
        await truncate_all(engine)
    yield SqlUnitOfWorkFactory(make_sessions(engine))
    await engine.dispose()


@pytest.mark.parametrize("engine_level", [logging.DEBUG, logging.INFO])
async def test_generated_key_never_reaches_any_log(
    sql_store: SqlUnitOfWorkFactory, caplog: pytest.LogCaptureFixture, engine_level: int
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, aiosqlite's included
    caplog.set_level(engine_level, logger="sqlalchemy.engine")
    first = await load_member_keys(sql_store, None)  # generates and INSERTs the key
    again = await load_member_keys(sql_store, None)  # reads it back (result rows at DEBUG)
    assert first.stored_in_database and again.key(PlatformName.SLACK, "U1") == first.key(
        PlatformName.SLACK, "U1"
    )
    generated = await stored_state(sql_store, MEMBER_KEY_STATE)
    assert generated is not None and len(generated) == 64
    sql_lines = [r for r in caplog.records if r.name.startswith(("sqlalchemy", "aiosqlite"))]
    assert any("bot_state" in r.getMessage() for r in sql_lines), "the SQL echo was off"
    assert str(generated) not in caplog.text


# --- the fingerprint ----------------------------------------------------------------------


async def test_a_different_configured_key_is_refused(store: UnitOfWorkFactory) -> None:
    keys = await load_member_keys(store, "key-one")
    with pytest.raises(MemberKeyMismatch, match="TIGERBIRD_MEMBER_KEY does not match"):
        await load_member_keys(store, "key-two")
    again = await load_member_keys(store, "key-one")
    assert again.key(PlatformName.SLACK, "U1") == keys.key(PlatformName.SLACK, "U1")


async def test_unsetting_a_configured_key_is_refused_and_generates_nothing(
    store: UnitOfWorkFactory,
) -> None:
    await load_member_keys(store, "key-one")
    with pytest.raises(MemberKeyMismatch, match="TIGERBIRD_MEMBER_KEY is not set"):
        await load_member_keys(store, None)
    assert await stored_state(store, MEMBER_KEY_STATE) is None


async def test_a_configured_key_other_than_the_generated_one_is_refused(
    store: UnitOfWorkFactory,
) -> None:
    await load_member_keys(store, None)
    with pytest.raises(MemberKeyMismatch, match="TIGERBIRD_MEMBER_KEY does not match"):
        await load_member_keys(store, "a-new-key")


async def test_a_database_from_before_the_fingerprint_is_checked_against_its_stored_key(
    store: UnitOfWorkFactory,
) -> None:
    async with store() as u:  # what older versions left: the generated key, no fingerprint
        await u.state.put_if_absent(MEMBER_KEY_STATE, "ab" * 32)
        await u.commit()
    with pytest.raises(MemberKeyMismatch):
        await load_member_keys(store, "another-key")
    assert (await load_member_keys(store, None)).stored_in_database


async def test_the_generated_key_can_move_out_of_the_database(store: UnitOfWorkFactory) -> None:
    generated = await load_member_keys(store, None)
    value = await stored_state(store, MEMBER_KEY_STATE)
    assert value is not None
    moved = await load_member_keys(store, str(value))
    assert not moved.stored_in_database
    assert moved.key(PlatformName.DISCORD, "42") == generated.key(PlatformName.DISCORD, "42")


# --- the CLI: privacy commands and the start refuse a mismatched key; managers ------------


def on_db(url: str, work: Callable[[SqlUnitOfWorkFactory], Awaitable[T]]) -> T:
    async def main() -> T:
        engine = make_engine(url)
        try:
            return await work(SqlUnitOfWorkFactory(make_sessions(engine)))
        finally:
            await engine.dispose()

    return asyncio.run(main())


async def seed_as_run(store: SqlUnitOfWorkFactory) -> None:
    """The privacy fixture's member U42, stored by a bot that ran with SECRET and that lists
    U42 as a manager of community T1 (beside U7)."""
    await seed_with_member(store)
    await load_member_keys(store, SECRET)
    async with store() as u:
        community = await u.communities.find(PlatformName.SLACK, "T1")
        assert community is not None
        await u.communities.update(replace(community, manager_ids=("U7", "U42")))
        await u.commit()


async def managers(store: SqlUnitOfWorkFactory) -> dict[str, list[str]]:
    async with store.sessions() as s:
        rows = await s.execute(select(CommunityRow.external_id, CommunityRow.manager_ids))
        return {external: list(ids) for external, ids in rows}


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    url = request.getfixturevalue("sqlite_url") if request.param == "sqlite" else require_postgres()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TIGERBIRD_MEMBER_KEY", SECRET)
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "postgres":
        asyncio.run(_truncate(url))
    on_db(url, seed_as_run)
    return url


async def _truncate(url: str) -> None:
    engine = make_engine(url)
    await truncate_all(engine)
    await engine.dispose()


@pytest.mark.parametrize("command", ["export", "forget"])
def test_privacy_commands_refuse_another_key_and_change_nothing(
    db: str, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    before = on_db(db, snapshot)
    monkeypatch.setenv("TIGERBIRD_MEMBER_KEY", "not-the-key-the-data-was-stored-with")
    args = ["privacy", command, "--platform", "slack", "--member", "U42"]
    result = runner.invoke(app, [*args, "--yes"] if command == "forget" else args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: TIGERBIRD_MEMBER_KEY does not match")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert on_db(db, snapshot) == before


def test_the_bot_refuses_to_start_with_another_key(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIGERBIRD_MEMBER_KEY", "not-the-key-the-data-was-stored-with")
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2
    assert result.output.startswith("error: TIGERBIRD_MEMBER_KEY does not match")


def test_export_lists_and_forget_removes_manager_listings(db: str) -> None:
    exported = runner.invoke(app, ["privacy", "export", "--platform", "slack", "--member", "U42"])
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.output)
    assert [m["community"] for m in data["manager_of"]] == ["Alpha"]
    assert data["slack_installations"] == []

    forgot = runner.invoke(
        app, ["privacy", "forget", "--platform", "slack", "--member", "U42", "--yes"]
    )
    assert forgot.exit_code == 0, forgot.output
    assert "removed from the managers of 1 communities" in " ".join(forgot.output.split())
    assert on_db(db, managers) == {"T1": ["U7"], "T2": []}
    after = runner.invoke(app, ["privacy", "export", "--platform", "slack", "--member", "U42"])
    assert json.loads(after.output)["manager_of"] == []
