"""Members suggest prompts; managers approve or reject them from a DM with buttons."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.blocks import APPROVE_ACTION, REASON_BLOCK, REASON_INPUT, REJECT_ACTION
from bot.core.domain import PromptStatus
from tests.slack.slack_requests import block_action, view_submission
from tests.slack.slack_stack import Stack


async def suggest(stack: Stack, text: str) -> tuple[int, dict[str, Any]]:
    """UMEMBER suggests; return the prompt id and the review DM the manager got."""
    answer = await stack.command("UMEMBER", f"suggest {text}")
    assert answer["text"].startswith("Thanks!")
    [review] = [m for m in stack.fake.channels["DUCONFIGURED"].messages if m["blocks"]]
    buttons = review["blocks"][-1]["elements"]
    assert [b["action_id"] for b in buttons] == [APPROVE_ACTION, REJECT_ACTION]
    return int(buttons[0]["value"]), review


async def status(stack: Stack, prompt_id: int) -> PromptStatus:
    return (await stack.core.service.get_prompt(prompt_id)).status


async def test_suggestion_approved_by_a_manager(stack: Stack) -> None:
    prompt_id, review = await suggest(stack, "Which smell takes you back to childhood?")
    assert "Which smell takes you back" in review["blocks"][0]["text"]["text"]
    url = f"{stack.fake.base_url}/response/approve"

    click = block_action(
        "T1", "UCONFIGURED", "DUCONFIGURED", review["ts"], APPROVE_ACTION, str(prompt_id), url
    )
    assert await stack.interact(click) == 200

    assert await status(stack, prompt_id) is PromptStatus.ACTIVE
    [answer] = [r for r in stack.fake.responses if r["key"] == "approve"]
    assert answer["replace_original"] is True and answer["text"].startswith("Approved")
    [dm] = stack.fake.channels["DUMEMBER"].messages
    assert "approved" in dm["text"]


async def test_suggestion_rejected_with_a_reason(stack: Stack) -> None:
    prompt_id, review = await suggest(stack, "What is the best sandwich ever made?")
    url = f"{stack.fake.base_url}/response/reject"
    click = block_action(
        "T1", "UCONFIGURED", "DUCONFIGURED", review["ts"], REJECT_ACTION, str(prompt_id), url
    )

    assert await stack.interact(click) == 200
    [opened] = stack.fake.calls_to("views.open")
    modal = opened.params["view"]
    modal = json.loads(modal) if isinstance(modal, str) else modal
    values = {REASON_BLOCK: {REASON_INPUT: {"type": "plain_text_input", "value": "Too close"}}}
    assert await stack.interact(view_submission("T1", "UCONFIGURED", modal, values)) == 200

    assert await status(stack, prompt_id) is PromptStatus.REJECTED
    [dm] = stack.fake.channels["DUMEMBER"].messages
    assert "Too close" in dm["text"]
    assert "Rejected" in stack.fake.channels["DUCONFIGURED"].messages[0]["text"]


async def test_a_member_cannot_approve(stack: Stack) -> None:
    prompt_id, review = await suggest(stack, "Which sound makes you smile instantly?")
    url = f"{stack.fake.base_url}/response/sneaky"
    click = block_action(
        "T1", "UMEMBER", "DUMEMBER", review["ts"], APPROVE_ACTION, str(prompt_id), url
    )

    assert await stack.interact(click) == 200

    assert await status(stack, prompt_id) is PromptStatus.PENDING
    [answer] = [r for r in stack.fake.responses if r["key"] == "sneaky"]
    assert "Only the community's managers" in answer["text"]
