"""Events API bodies, slash commands and interactivity payloads with missing or wrong-typed
fields, signed correctly and sent to the real bolt app over HTTP, on the in-memory store,
SQLite and PostgreSQL: never a 5xx, never a record at ERROR (with a traceback or without),
and the app keeps answering. Buttons, the reject form and `settings` are built valid and
then broken field by field, so that the valid ones are seen to reach their handlers."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from fake_slack import FakeSlack
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from slack_requests import (
    as_form,
    as_interactive,
    block_action,
    post_signed,
    slash_command,
    view_submission,
)
from slack_stack import settle

from adapters.slack import build
from adapters.slack.blocks import (
    APPROVE_ACTION,
    REASON_BLOCK,
    REASON_INPUT,
    REJECT_ACTION,
    reject_modal,
)
from bot.app.bootstrap import build_core
from bot.app.settings import Settings
from bot.chat.settings_command import NAMES
from bot.core.domain import PlatformName, PromptStatus
from bot.core.invocations import Invocation, Reply
from bot.core.ports import CommandRunner
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.memory import MemoryStore
from tests.conftest import require_postgres, truncate_all
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


@dataclass(repr=False)
class SlackApp:
    fake: FakeSlack
    url: str
    errors: list[logging.LogRecord]
    commands: RecordingCommands
    pending: list[int]

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


class RecordingCommands:
    """The core's chat commands, with a transcript of what reached them and what they said."""

    def __init__(self, inner: CommandRunner) -> None:
        self.inner = inner
        self.transcript: list[tuple[str, str, str]] = []

    async def run(self, inv: Invocation, text: str) -> Reply:
        reply = await self.inner.run(inv, text)
        self.transcript.append(("run", text, reply.text))
        return reply

    async def approve(self, inv: Invocation, prompt_id: int) -> Reply:
        reply = await self.inner.approve(inv, prompt_id)
        self.transcript.append(("approve", str(prompt_id), reply.text))
        return reply

    async def reject(self, inv: Invocation, prompt_id: int, reason: str) -> Reply:
        reply = await self.inner.reject(inv, prompt_id, reason)
        self.transcript.append(("reject", str(prompt_id), reply.text))
        return reply


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def slack_app(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[SlackApp]:
    """The real bolt app over HTTP on each store (the replay guard always on SQL), with a
    schedule in #general and suggestions waiting for review, so that fuzzed buttons and
    settings reach their handlers."""
    url = require_postgres() if request.param == "postgres" else sqlite_url
    engine = make_engine(url)
    if request.param == "postgres":
        await truncate_all(engine)
    store = (
        MemoryStore() if request.param == "memory" else SqlUnitOfWorkFactory(make_sessions(engine))
    )
    fake = FakeSlack()
    await fake.start()
    team = fake.add_team("T1")
    fake.add_user("UADMIN", is_admin=True)
    fake.add_user("UMEMBER")
    fake.add_channel("CGENERAL", members={team.bot_user_id, "UMEMBER"})
    settings_ = Settings(
        DATABASE_URL=url,
        SLACK_BOT_TOKEN=team.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
    )
    core = await build_core(store, settings_)
    commands = RecordingCommands(core.commands)
    adapter = build(settings_, core.service, commands, engine=engine)
    core.platforms[PlatformName.SLACK] = adapter.platform
    admin = Invocation(PlatformName.SLACK, "T1", "CGENERAL", "UADMIN", True)
    assert (await core.commands.run(admin, "here 09:00")).text.startswith("Scheduled")
    member = Invocation(PlatformName.SLACK, "T1", "CGENERAL", "UMEMBER", False)
    for n in range(3):
        await core.commands.run(member, f"suggest Question number {n} for the fuzzer?")
    pending = [p.id for p in await core.service.list_prompts(PromptStatus.PENDING)]
    assert len(pending) == 3
    server = TestServer(adapter.web_app(), host="127.0.0.1")
    await server.start_server()
    errors: list[logging.LogRecord] = []
    handler = _Errors(errors)
    logging.getLogger().addHandler(handler)
    yield SlackApp(fake, str(server.make_url("/slack/events")), errors, commands, pending)
    logging.getLogger().removeHandler(handler)
    await server.close()
    await adapter.stop()
    await fake.stop()
    await engine.dispose()


def errors_logged(app: SlackApp) -> list[str]:
    """Every record at ERROR or above, with a traceback or without (bolt logs some without)."""
    found = [f"{r.levelname} {r.name}: {r.getMessage()}" for r in app.errors]
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
    assert errors_logged(slack_app) == []


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
    assert errors_logged(slack_app) == []
    for reply in slack_app.fake.responses[before:]:
        assert "Traceback" not in json.dumps(reply)


@FUZZ
@given(payload=values)
async def test_fuzzed_interactivity_payloads_never_break_the_app(
    slack_app: SlackApp, payload: Any
) -> None:
    status, _ = await slack_app.send(as_interactive(payload), FORM)
    assert status < 500
    assert errors_logged(slack_app) == []


BUTTON_FIELDS = ["value", "user", "actions", "team", "channel", "container", "trigger_id"]
FORM_FIELDS = ["private_metadata", "state", "user", "team", "prompt_id", "channel", "ts"]
VALID: dict[str, Any] = {}


def reached(app: SlackApp, kind: str, prompt_id: int) -> bool:
    return any(k == kind and i == str(prompt_id) for k, i, _ in app.commands.transcript)


@FUZZ
@given(
    action=st.sampled_from([APPROVE_ACTION, REJECT_ACTION]),
    pick=st.integers(0, 2),
    broken=st.dictionaries(st.sampled_from(BUTTON_FIELDS), values, max_size=3),
)
@example(action=APPROVE_ACTION, pick=0, broken=VALID)
@example(action=REJECT_ACTION, pick=1, broken=VALID)
async def test_fuzzed_review_buttons_reach_their_handlers_or_are_refused(
    slack_app: SlackApp, action: str, pick: int, broken: dict[str, Any]
) -> None:
    """A manager's Approve / Reject click on a review DM, with some fields replaced."""
    prompt_id = slack_app.pending[pick]
    url = f"{slack_app.fake.base_url}/response/button"
    click = block_action("T1", "UADMIN", "DUADMIN", "1.000001", action, str(prompt_id), url)
    if "value" in broken:
        click["actions"][0]["value"] = broken["value"]
    click.update({key: value for key, value in broken.items() if key != "value"})
    opened = len(slack_app.fake.calls_to("views.open"))

    status, _ = await slack_app.send(as_interactive(click), FORM)

    assert status < 500
    assert errors_logged(slack_app) == []
    if not broken and action == APPROVE_ACTION:
        assert reached(slack_app, "approve", prompt_id)
    if not broken and action == REJECT_ACTION:  # the click opens the form asking why
        assert len(slack_app.fake.calls_to("views.open")) == opened + 1


@FUZZ
@given(
    pick=st.integers(0, 2),
    reason=st.text(max_size=300),
    broken=st.dictionaries(st.sampled_from(FORM_FIELDS), values, max_size=3),
)
@example(pick=2, reason="Too close to another one", broken=VALID)
async def test_fuzzed_reject_forms_reach_their_handler_or_are_refused(
    slack_app: SlackApp, pick: int, reason: str, broken: dict[str, Any]
) -> None:
    """The reject form submitted, its metadata, state or user replaced."""
    prompt_id = slack_app.pending[pick]
    meta: dict[str, Any] = {"prompt_id": prompt_id, "channel": "DUADMIN", "ts": "1.000001"}
    for key in ("prompt_id", "channel", "ts"):
        if key in broken:
            meta[key] = broken[key]
    view = {**reject_modal(1, "DUADMIN", "1.000001"), "private_metadata": json.dumps(meta)}
    values_ = {REASON_BLOCK: {REASON_INPUT: {"type": "plain_text_input", "value": reason}}}
    submission = view_submission("T1", "UADMIN", view, values_)
    for key in ("user", "team"):
        if key in broken:
            submission[key] = broken[key]
    for key in ("private_metadata", "state"):
        if key in broken:
            submission["view"][key] = broken[key]

    status, _ = await slack_app.send(as_interactive(submission), FORM)

    assert status < 500
    assert errors_logged(slack_app) == []
    if not broken:
        assert reached(slack_app, "reject", prompt_id)


SETTINGS = ["", *NAMES.split(", ")]
NOT_REACHED = ("Only the community's managers", "This channel has no schedule", "Unknown command")


@FUZZ
@given(name=st.sampled_from(SETTINGS), value=st.text(max_size=60), more=st.text(max_size=20))
@example(name="", value="", more="")
async def test_fuzzed_settings_reach_the_settings_handler(
    slack_app: SlackApp, name: str, value: str, more: str
) -> None:
    """A manager's `/tigerbird settings <name> <value…>` with any value."""
    text = f"settings {name} {value} {more}"
    url = f"{slack_app.fake.base_url}/response/settings"
    before = len(slack_app.fake.responses)

    status, _ = await slack_app.send(
        as_form(slash_command("T1", "CGENERAL", "UADMIN", text, url)), FORM
    )

    assert status == 200
    assert errors_logged(slack_app) == []
    [answer] = slack_app.fake.responses[before:]
    [(_, ran, said)] = [t for t in slack_app.commands.transcript if t[1] == text][-1:]
    assert ran == text and not said.startswith(NOT_REACHED), said
    assert answer["text"]
