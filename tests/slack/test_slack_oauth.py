"""Multi-workspace install: OAuth against the fake's oauth.v2.access, installation stored in
the migrated database, then used to post and to answer in that workspace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from html import unescape

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from adapters.slack import SlackAdapter, build
from bot.app.bootstrap import build_core
from bot.app.settings import Settings
from bot.core.ports import PlatformError, PromptMessage
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.slack.fake_slack import FakeSlack
from tests.slack.fake_slack_methods import Team
from tests.slack.slack_requests import as_form, post_signed, slash_command
from tests.slack.slack_stack import FORM, MONDAY_7_UTC, SECRET, settle


@pytest.fixture
async def oauth_app(
    fake_slack: FakeSlack, sqlite_url: str
) -> AsyncIterator[tuple[str, SlackAdapter]]:
    engine = make_engine(sqlite_url)
    settings = Settings(
        DATABASE_URL=sqlite_url,
        SLACK_CLIENT_ID=fake_slack.client_id,
        SLACK_CLIENT_SECRET=fake_slack.client_secret,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_slack.api_url,
    )
    core = await build_core(
        SqlUnitOfWorkFactory(make_sessions(engine)), settings, clock=FrozenClock(MONDAY_7_UTC)
    )
    adapter = build(settings, core.service, core.commands, engine=engine)
    server = TestServer(adapter.web_app(), host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")), adapter
    await server.close()
    await adapter.stop()
    await engine.dispose()


async def install(base: str, code: str) -> int:
    """What a browser does: open the install page, consent at Slack, come back with a code."""
    async with aiohttp.ClientSession() as browser:
        async with browser.get(f"{base}/slack/install") as page:
            assert page.status == 200
            html = unescape(await page.text())
            state = page.cookies["slack-app-oauth-state"].value
        assert "/oauth/v2/authorize?state=" + state in html
        cookie = {"Cookie": f"slack-app-oauth-state={state}"}
        redirect = f"{base}/slack/oauth_redirect?code={code}&state={state}"
        async with browser.get(redirect, headers=cookie) as done:
            return done.status


async def test_install_stores_the_workspace_and_posts_with_its_token(
    fake_slack: FakeSlack, oauth_app: tuple[str, SlackAdapter], sqlite_url: str
) -> None:
    base, adapter = oauth_app
    team = Team("T2", "xoxb-T2-installed", "UBOT2", "BBOT2")
    fake_slack.oauth_codes["code-42"] = team
    fake_slack.add_user("UINSTALLER", "T2")
    fake_slack.add_channel("C2", "T2", members={"UBOT2"})

    assert await install(base, "code-42") == 200

    engine = make_engine(sqlite_url)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("select team_id, bot_token from slack_bots"))).all()
    await engine.dispose()
    assert [tuple(r) for r in rows] == [("T2", "xoxb-T2-installed")]
    await adapter.platform.post("T2", "C2", PromptMessage("Hello T2?", "misc", "tb:1:1"))
    [call] = fake_slack.calls_to("chat.postMessage")
    assert call.token == "xoxb-T2-installed"
    await adapter.platform.notify_managers("T2", "hello installer")
    assert fake_slack.channels["DUINSTALLER"].messages[0]["text"] == "hello installer"


async def test_installed_workspace_gets_answers(
    fake_slack: FakeSlack, oauth_app: tuple[str, SlackAdapter]
) -> None:
    base, _ = oauth_app
    fake_slack.oauth_codes["code-7"] = Team("T3", "xoxb-T3-installed", "UBOT3", "BBOT3")
    fake_slack.add_user("UT3", "T3")
    fake_slack.add_channel("C3", "T3", members={"UBOT3"})
    assert await install(base, "code-7") == 200
    command = slash_command("T3", "C3", "UT3", "help", f"{fake_slack.base_url}/response/t3")

    status, _ = await post_signed(f"{base}/slack/events", as_form(command), FORM, SECRET)
    await settle()

    assert status == 200
    [answer] = fake_slack.responses
    assert "Tigerbird posts one question a day" in answer["text"]
    users_info = fake_slack.calls_to("users.info")
    assert users_info and users_info[-1].token == "xoxb-T3-installed"


async def test_a_wrong_code_installs_nothing(
    fake_slack: FakeSlack, oauth_app: tuple[str, SlackAdapter]
) -> None:
    base, adapter = oauth_app

    assert await install(base, "stolen-code") == 401
    with pytest.raises(PlatformError, match="not installed"):
        await adapter.platform.post("T9", "C9", PromptMessage("x", "misc", "tb:1:2"))
