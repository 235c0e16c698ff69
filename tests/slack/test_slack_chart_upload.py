"""A reply with a chart is uploaded to the invoker's DM (files.getUploadURLExternal flow)."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestServer

from adapters.slack import build
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_fakes import PNG, ChartCommands, NoCore
from tests.slack.slack_requests import as_form, post_signed, slash_command
from tests.slack.slack_stack import FORM, SECRET, settle, slack_settings


async def test_chart_is_uploaded_to_the_invokers_dm(fake_slack: FakeSlack, sqlite_url: str) -> None:
    commands = ChartCommands()
    adapter = build(slack_settings(fake_slack, sqlite_url), NoCore(), commands)
    server = TestServer(adapter.web_app(), host="127.0.0.1")
    await server.start_server()
    url = f"{fake_slack.base_url}/response/chart"
    command = slash_command("T1", "CGENERAL", "UADMIN", "stats", url)

    status, _ = await post_signed(
        str(server.make_url("/slack/events")), as_form(command), FORM, SECRET
    )
    await settle()
    await server.close()

    assert status == 200
    assert commands.invocations[0].member_is_admin is True
    assert list(fake_slack.uploads.values()) == [PNG]
    [done] = fake_slack.calls_to("files.completeUploadExternal")
    assert done.params["channel_id"] == "DUADMIN"
    files = done.params["files"]
    assert (json.loads(files) if isinstance(files, str) else files)[0]["title"]
