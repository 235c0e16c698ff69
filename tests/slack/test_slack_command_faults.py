"""A slash command acknowledged while something fails is still answered, on its response URL:
what failed, and to try again. The database made unreachable for real: PostgreSQL behind a
cut TCP proxy, SQLite whose directory vanished."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from adapters.slack import build
from bot.core.domain import PromptDraft
from bot.core.invocations import Invocation, Reply
from tests.conftest import require_postgres, truncate_all
from tests.reliability.chaos_proxy import ChaosProxy
from tests.slack.conftest import running_stack
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_fakes import NoCore
from tests.slack.slack_requests import as_form, post_signed, slash_command
from tests.slack.slack_stack import FORM, SECRET, Stack, settle, slack_settings

Unreachable = Callable[[Stack], Awaitable[None]]


@pytest.fixture(params=["sqlite", "postgres"])
async def database(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[tuple[str, Unreachable]]:
    """A database URL and a way to make that database unreachable for a running stack."""
    if request.param == "sqlite":
        folder = tmp_path / "data"
        folder.mkdir()
        shutil.copyfile(sqlite_template, folder / "tigerbird.db")

        async def vanish(stack: Stack) -> None:
            shutil.rmtree(folder)
            await stack.engine.dispose()  # open connections would still see the deleted file

        yield f"sqlite+aiosqlite:///{folder / 'tigerbird.db'}", vanish
        return
    direct = require_postgres()
    from bot.storage.engine import make_engine

    engine = make_engine(direct)
    await truncate_all(engine)
    await engine.dispose()
    proxy = ChaosProxy(urlsplit(direct).port or 5432)
    await proxy.start()
    parts = urlsplit(direct)
    user = f"{parts.username}@" if parts.username else ""
    through = urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{proxy.port}"))

    async def cut(stack: Stack) -> None:
        proxy.cut()

    yield through, cut
    await proxy.stop()


async def test_a_command_while_the_database_is_unreachable_is_answered(
    fake_slack: FakeSlack,
    database: tuple[str, Unreachable],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, make_unreachable = database
    async with running_stack(fake_slack, url) as stack:
        await stack.core.service.add_prompts([PromptDraft("t/1", "Sunrise or sunset?", "nature")])
        assert (await stack.command("UADMIN", "here 09:00"))["text"].startswith("Scheduled")
        await make_unreachable(stack)

        answer = await stack.command("UADMIN", "now")

    assert answer["text"] == (
        "Sorry, Tigerbird could not reach its database, so nothing was done. "
        "Please try again in a minute."
    )
    assert answer["response_type"] == "ephemeral"
    assert stack.fake.posts("CGENERAL") == []
    # asyncpg's pooled connections to the cut server may also leave "Future exception was
    # never retrieved" lines on the asyncio logger, depending on when they are collected:
    # the driver's noise, not a log line of Tigerbird's.
    ours = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name != "asyncio"]
    [failure] = ours
    assert "database unreachable" in failure.getMessage()


class FailingCommands:
    """The core's command runner, failing as a bug would."""

    async def run(self, inv: Invocation, text: str) -> Reply:
        raise RuntimeError("a bug")

    async def approve(self, inv: Invocation, prompt_id: int) -> Reply:
        raise RuntimeError("a bug")

    async def reject(self, inv: Invocation, prompt_id: int, reason: str) -> Reply:
        raise RuntimeError("a bug")


async def test_a_command_that_fails_is_answered_and_logged_with_its_traceback(
    fake_slack: FakeSlack, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from aiohttp.test_utils import TestServer

    adapter = build(slack_settings(fake_slack, sqlite_url), NoCore(), FailingCommands())
    server = TestServer(adapter.web_app(), host="127.0.0.1")
    await server.start_server()
    fields = slash_command(
        "T1", "CGENERAL", "UADMIN", "help", f"{fake_slack.base_url}/response/bug"
    )
    try:
        status, _ = await post_signed(
            str(server.make_url("/slack/events")), as_form(fields), FORM, SECRET
        )
        await settle()
    finally:
        await server.close()
        await adapter.stop()

    assert status == 200
    [answer] = [r for r in fake_slack.responses if r["key"] == "bug"]
    assert "Tigerbird hit an error" in answer["text"] and "try again" in answer["text"]
    [failure] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failure.name == "adapters.slack.listeners" and failure.exc_info is not None
