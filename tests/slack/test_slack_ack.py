"""When Slack hears back: an event only once the core has stored it (a crash before that leaves
Slack to deliver it again), a command at once even while its answer is still being worked out."""

from __future__ import annotations

import asyncio
import json

from adapters.slack import SlackAdapter, build
from bot.core.domain import Community, EngagementEvent, PlatformName
from bot.core.invocations import Invocation, Reply
from bot.core.ports import CommandRunner, CoreEntry
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_fakes import NoCore
from tests.slack.slack_requests import (
    as_form,
    event_callback,
    post_signed,
    reaction_event,
    slash_command,
)
from tests.slack.slack_stack import FORM, SECRET, settle, slack_settings
from tests.slack.test_slack_http_mode import free_port


class GatedCore:
    """Stores an event only when the test opens the gate (or fails it, when told to)."""

    def __init__(self, fail: bool = False) -> None:
        self.received = asyncio.Event()
        self.gate = asyncio.Event()
        self.stored: list[EngagementEvent] = []
        self.fail = fail

    async def handle_event(self, event: EngagementEvent) -> None:
        self.received.set()
        await self.gate.wait()
        if self.fail:
            raise ConnectionError("the database is gone")
        self.stored.append(event)

    async def remove_bot(self, platform: PlatformName, community: str, member_id: str) -> int:
        return 0

    async def community(self, platform: PlatformName, external_id: str) -> Community | None:
        return None


class GatedCommands:
    """Answers a command only when the test opens the gate."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()

    async def run(self, inv: Invocation, text: str) -> Reply:
        await self.gate.wait()
        return Reply("answered")

    async def approve(self, inv: Invocation, prompt_id: int) -> Reply:
        raise AssertionError("not used")

    async def reject(self, inv: Invocation, prompt_id: int, reason: str) -> Reply:
        raise AssertionError("not used")


async def _post_event(fake: FakeSlack, url: str) -> tuple[int, str]:
    reaction = reaction_event("reaction_added", "UMEMBER", "CGENERAL", "1.000001", "tada")
    body = json.dumps(event_callback("T1", reaction, fake.team("T1").bot_user_id))
    return await post_signed(url, body, "application/json", SECRET)


async def _serve(
    fake: FakeSlack, sqlite_url: str, core: CoreEntry, commands: CommandRunner
) -> tuple[SlackAdapter, str]:
    port = free_port()
    settings = slack_settings(fake, sqlite_url, TIGERBIRD_HTTP_PORT=str(port))
    adapter = build(settings, core, commands, http_host="127.0.0.1")
    await adapter.start()
    return adapter, f"http://127.0.0.1:{port}/slack/events"


async def test_an_event_is_acknowledged_only_after_it_is_stored(
    fake_slack: FakeSlack, sqlite_url: str
) -> None:
    core = GatedCore()
    adapter, url = await _serve(fake_slack, sqlite_url, core, GatedCommands())
    try:
        answer = asyncio.create_task(_post_event(fake_slack, url))
        await asyncio.wait_for(core.received.wait(), 10)
        await asyncio.sleep(0.2)
        assert not answer.done()  # Slack has not heard back: a crash now means a redelivery
        core.gate.set()
        status, _ = await asyncio.wait_for(answer, 10)
    finally:
        await adapter.stop()
    assert status == 200 and len(core.stored) == 1


async def test_an_event_that_cannot_be_stored_is_not_acknowledged(
    fake_slack: FakeSlack, sqlite_url: str
) -> None:
    core = GatedCore(fail=True)
    core.gate.set()
    adapter, url = await _serve(fake_slack, sqlite_url, core, GatedCommands())
    try:
        status, _ = await _post_event(fake_slack, url)
    finally:
        await adapter.stop()
    assert status != 200 and core.stored == []  # Slack retries what it did not get a 200 for


async def test_a_command_is_acknowledged_before_its_answer_is_ready(
    fake_slack: FakeSlack, sqlite_url: str
) -> None:
    commands = GatedCommands()
    adapter, url = await _serve(fake_slack, sqlite_url, NoCore(), commands)
    response_url = f"{fake_slack.base_url}/response/slow"
    fields = slash_command("T1", "CGENERAL", "UADMIN", "stats", response_url)
    try:
        status, _ = await asyncio.wait_for(post_signed(url, as_form(fields), FORM, SECRET), 10)
        assert status == 200
        assert not [r for r in fake_slack.responses if r["key"] == "slow"]
        commands.gate.set()
        await settle()
    finally:
        await adapter.stop()
    [answer] = [r for r in fake_slack.responses if r["key"] == "slow"]
    assert "answered" in json.dumps(answer)
