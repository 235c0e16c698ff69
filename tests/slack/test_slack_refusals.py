"""Requests Slack would never send are refused with one WARNING line: no 5xx, no traceback,
no ERROR record, nothing done. Unsigned or badly timestamped requests get 401; signed but
malformed interactivity payloads are acknowledged and dropped."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest

from adapters.slack.blocks import (
    APPROVE_ACTION,
    REASON_BLOCK,
    REASON_INPUT,
    REJECT_ACTION,
    reject_modal,
)
from bot.core.domain import PromptStatus
from tests.slack.slack_requests import (
    as_form,
    as_interactive,
    block_action,
    post_raw,
    signature,
    slash_command,
    view_submission,
)
from tests.slack.slack_stack import FORM, SECRET, Stack
from tests.slack.test_slack_suggestions import suggest


def problems(caplog: pytest.LogCaptureFixture) -> list[tuple[str, int, bool]]:
    """Every record at WARNING or above: (logger, level, has a traceback)."""
    return [
        (r.name, r.levelno, r.exc_info is not None)
        for r in caplog.records
        if r.levelno >= logging.WARNING
    ]


def signed(timestamp: str, body: str) -> dict[str, str]:
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(SECRET, timestamp, body),
    }


NOW = str(int(time.time()))
BODY = as_form(slash_command("T1", "CGENERAL", "UADMIN", "here 09:00", "http://127.0.0.1:9/r"))
HEADERS = {
    "non-numeric timestamp": signed("soon", BODY),
    "fractional timestamp": signed(f"{NOW}.5", BODY),
    "non-ASCII digits": signed("１" * 10, BODY),
    "5000-digit timestamp": signed("9" * 5000, BODY),
    "no timestamp": {"X-Slack-Signature": signature(SECRET, NOW, BODY)},
    "no signature": {"X-Slack-Request-Timestamp": NOW},
    "no Slack headers": {},
    "empty signature": {"X-Slack-Request-Timestamp": NOW, "X-Slack-Signature": ""},
}


@pytest.mark.parametrize("headers", HEADERS.values(), ids=HEADERS.keys())
async def test_unsigned_requests_get_401_and_one_warning(
    stack: Stack, caplog: pytest.LogCaptureFixture, headers: dict[str, str]
) -> None:
    status, text = await post_raw(stack.url, BODY, FORM, headers)

    assert (status, "Traceback" in text) == (401, False)
    assert problems(caplog) == [("adapters.slack.app", logging.WARNING, False)]
    assert await stack.core.service.list_schedules() == []


def approve(value: Any, **changes: Any) -> dict[str, Any]:
    click = block_action("T1", "UCONFIGURED", "DUCONFIGURED", "1.0", APPROVE_ACTION, "1", URL)
    click["actions"][0]["value"] = value
    return {**click, **changes}


def reject_click(value: Any) -> dict[str, Any]:
    click = block_action("T1", "UCONFIGURED", "DUCONFIGURED", "1.0", REJECT_ACTION, "1", URL)
    click["actions"][0]["value"] = value
    return click


def reject_form(metadata: str) -> dict[str, Any]:
    view = {**reject_modal(1, "DUCONFIGURED", "1.0"), "private_metadata": metadata}
    values = {REASON_BLOCK: {REASON_INPUT: {"type": "plain_text_input", "value": "no"}}}
    return view_submission("T1", "UCONFIGURED", view, values)


URL = "http://127.0.0.1:9/response/malformed"
MALFORMED = {
    "approve, value not a number": approve("one"),
    "approve, value with a suffix": approve("1; drop"),
    "approve, value past int32": approve("99999999999999999999"),
    "approve, value non-ASCII digits": approve("١"),
    "approve, value a list": approve(["1"]),
    "approve, no user": approve("1", user=None),
    "approve, user without id": approve("1", user={"team_id": "T1"}),
    "approve, empty actions": approve("1", actions=[]),
    "approve, action not an object": approve("1", actions=["approve"]),
    "reject click, value not a number": reject_click("x"),
    "reject form, metadata not JSON": reject_form("{not json"),
    "reject form, metadata a list": reject_form("[1, 2]"),
    "reject form, no channel": reject_form(json.dumps({"prompt_id": 1})),
    "reject form, prompt id text": reject_form(json.dumps({"prompt_id": "x", "channel": "D1"})),
    "reject form, ts a number": reject_form(json.dumps({"prompt_id": 1, "channel": "D1", "ts": 5})),
}


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
async def test_malformed_interactivity_is_refused_with_one_warning(
    stack: Stack, caplog: pytest.LogCaptureFixture, payload: dict[str, Any]
) -> None:
    prompt_id, _ = await suggest(stack, "Which sound makes you smile instantly?")
    assert prompt_id == 1  # the id the payloads point at
    caplog.clear()
    calls = len(stack.fake.calls)

    status = await stack.interact(payload)

    assert status in (200, 400)  # dropped by the listener, or refused before bolt
    [(logger, level, traceback)] = problems(caplog)
    assert (logger.startswith("adapters.slack."), level, traceback) == (
        True,
        logging.WARNING,
        False,
    )
    assert (await stack.core.service.get_prompt(1)).status is PromptStatus.PENDING
    assert stack.fake.calls[calls:] == []  # no views.open, no chat.update, no DM
    assert [r for r in stack.fake.responses if r["key"] == "malformed"] == []


async def test_unexpected_body_in_a_signed_request_is_refused_without_a_traceback(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    body = as_interactive({"type": "block_actions", "user": "UADMIN", "team": 7})
    headers = signed(str(int(time.time())), body)

    status, _ = await post_raw(stack.url, body, FORM, headers)

    assert status == 400
    assert problems(caplog) == [("adapters.slack.app", logging.WARNING, False)]
