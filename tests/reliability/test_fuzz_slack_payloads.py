"""Events API bodies, slash commands and interactivity payloads with missing or wrong-typed
fields, signed correctly and sent to the real bolt app over HTTP: never a 5xx, never an
error logged with a traceback, and the app keeps answering."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from fake_slack import FakeSlack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_requests import as_form, as_interactive, post_signed, slash_command
from slack_stack import settle

from adapters.slack import build
from bot.bootstrap import build_core
from bot.domain import PlatformName
from bot.settings import Settings
from bot.testing.memory import MemoryStore
from tests.reliability.sizing import EXAMPLES
from tests.reliability.test_fuzz_inputs import values

SECRET = "fuzz-signing-secret"
FORM = "application/x-www-form-urlencoded"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
EVENT_TYPES = [
    "reaction_added",
    "reaction_removed",
    "message",
    "app_uninstalled",
    "tokens_revoked",
    "member_joined_channel",
    "app_mention",
]
EVENT_KEYS = [
    "type",
    "user",
    "item",
    "channel",
    "ts",
    "thread_ts",
    "event_ts",
    "reaction",
    "subtype",
    "bot_id",
    "channel_type",
    "text",
    "item_user",
]


@dataclass
class SlackApp:
    fake: FakeSlack
    url: str
    errors: list[logging.LogRecord]

    async def send(self, body: str, content_type: str) -> tuple[int, str]:
        answer = await post_signed(self.url, body, content_type, SECRET)
        await settle()
        return answer


class _Errors(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


@pytest.fixture
async def slack_app() -> AsyncIterator[SlackApp]:
    fake = FakeSlack()
    await fake.start()
    team = fake.add_team("T1")
    fake.add_user("UMEMBER")
    fake.add_channel("CGENERAL", members={team.bot_user_id, "UMEMBER"})
    settings_ = Settings(
        DATABASE_URL="sqlite+aiosqlite:///unused.db",
        SLACK_BOT_TOKEN=team.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
    )
    core = await build_core(MemoryStore(), settings_)
    adapter = build(settings_, core.service, core.commands)
    core.platforms[PlatformName.SLACK] = adapter.platform
    server = TestServer(adapter.web_app(), host="127.0.0.1")
    await server.start_server()
    errors: list[logging.LogRecord] = []
    handler = _Errors(errors)
    logging.getLogger().addHandler(handler)
    yield SlackApp(fake, str(server.make_url("/slack/events")), errors)
    logging.getLogger().removeHandler(handler)
    await server.close()
    await adapter.stop()
    await fake.stop()


def tracebacks(app: SlackApp) -> list[str]:
    found = [f"{r.name}: {r.getMessage()}" for r in app.errors if r.exc_info]
    app.errors.clear()
    return found


events = st.dictionaries(st.sampled_from(EVENT_KEYS), values, max_size=8).flatmap(
    lambda fields: st.sampled_from(EVENT_TYPES).map(lambda kind: {"type": kind, **fields})
)


@FUZZ
@given(event=events, drop=st.sets(st.sampled_from(["team_id", "event_id", "authorizations"])))
async def test_fuzzed_events_never_break_the_app(
    slack_app: SlackApp, event: dict[str, Any], drop: set[str]
) -> None:
    body: dict[str, Any] = {
        "token": "legacy-verification-token",
        "team_id": "T1",
        "api_app_id": "A0TIGER",
        "event": event,
        "type": "event_callback",
        "event_id": "Ev0FUZZ",
        "event_time": 1_700_000_000,
        "authorizations": [{"team_id": "T1", "user_id": "UBOT1", "is_bot": True}],
    }
    for key in drop:
        body.pop(key, None)
    status, _ = await slack_app.send(json.dumps(body), "application/json")
    assert status < 500
    assert tracebacks(slack_app) == []


@FUZZ
@given(
    text=st.text(max_size=200),
    missing=st.sets(st.sampled_from(["user_id", "channel_id", "team_id", "text", "trigger_id"])),
)
async def test_fuzzed_slash_commands_get_a_plain_answer(
    slack_app: SlackApp, text: str, missing: set[str]
) -> None:
    url = f"{slack_app.fake.base_url}/response/fuzz"
    fields = slash_command("T1", "CGENERAL", "UMEMBER", text, url)
    for key in missing:
        fields.pop(key)
    before = len(slack_app.fake.responses)
    status, answer = await slack_app.send(as_form(fields), FORM)
    assert status < 500
    assert "Traceback" not in answer
    assert tracebacks(slack_app) == []
    for reply in slack_app.fake.responses[before:]:
        assert "Traceback" not in json.dumps(reply)


@FUZZ
@given(payload=values)
async def test_fuzzed_interactivity_payloads_never_break_the_app(
    slack_app: SlackApp, payload: Any
) -> None:
    status, _ = await slack_app.send(as_interactive(payload), FORM)
    assert status < 500
    assert tracebacks(slack_app) == []
