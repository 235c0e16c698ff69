"""A signed request replayed within Slack's 5-minute window is handled once: a command posts
once, a button approves once. On SQLite and PostgreSQL (the guard lives in the database)."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

import pytest

from adapters.slack.blocks import APPROVE_ACTION
from bot.core.domain import PromptDraft, PromptStatus
from tests.slack.slack_requests import (
    as_form,
    as_interactive,
    block_action,
    post_signed,
    slash_command,
)
from tests.slack.slack_stack import FORM, SECRET, Stack, settle
from tests.slack.test_slack_suggestions import suggest


async def replay(stack: Stack, body: str, times: int = 3) -> list[int]:
    """Send the very same signed request `times` times at once, as an attacker would."""
    signed_at = str(int(time.time()))
    answers = await asyncio.gather(
        *(post_signed(stack.url, body, FORM, SECRET, timestamp=signed_at) for _ in range(times))
    )
    await settle()
    return [status for status, _ in answers]


async def test_a_replayed_slash_command_posts_once(
    sql_stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    stack = sql_stack
    await stack.core.service.add_prompts([PromptDraft("t/1", "Sunrise or sunset?", "nature")])
    assert (await stack.command("UADMIN", "here 09:00"))["text"].startswith("Scheduled")
    url = f"{stack.fake.base_url}/response/now"
    body = as_form(slash_command("T1", "CGENERAL", "UADMIN", "now", url))

    assert await replay(stack, body) == [200, 200, 200]

    assert len(stack.fake.posts("CGENERAL")) == 1
    assert [r["text"] for r in stack.fake.responses if r["key"] == "now"] == ["Posted."]
    replays = [r for r in caplog.records if "replayed" in r.getMessage()]
    assert [r.levelno for r in replays] == [logging.WARNING, logging.WARNING]


async def test_a_new_command_with_the_same_text_is_not_a_replay(sql_stack: Stack) -> None:
    """Slack gives every invocation its own trigger_id: the member can run it again."""
    stack = sql_stack
    await stack.core.service.add_prompts(
        [PromptDraft(f"t/{n}", f"Question {n}?", "nature") for n in range(2)]
    )
    await stack.command("UADMIN", "here 09:00")

    assert (await stack.command("UADMIN", "now"))["text"] == "Posted."
    stack.clock.advance(timedelta(minutes=5))
    assert (await stack.command("UADMIN", "now"))["text"] == "Posted."
    assert len(stack.fake.posts("CGENERAL")) == 2


async def test_a_replayed_approve_click_approves_once(sql_stack: Stack) -> None:
    stack = sql_stack
    prompt_id, review = await suggest(stack, "Which smell takes you back to childhood?")
    url = f"{stack.fake.base_url}/response/approve"
    click = block_action(
        "T1", "UCONFIGURED", "DUCONFIGURED", review["ts"], APPROVE_ACTION, str(prompt_id), url
    )

    assert await replay(stack, as_interactive(click)) == [200, 200, 200]

    assert (await stack.core.service.get_prompt(prompt_id)).status is PromptStatus.ACTIVE
    [answer] = [r for r in stack.fake.responses if r["key"] == "approve"]
    assert answer["text"].startswith("Approved")
    assert len(stack.fake.channels["DUMEMBER"].messages) == 1  # one DM to the suggester
