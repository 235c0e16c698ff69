"""Buttons and modals from another workspace: an admin of T2 clicking Approve/Reject with T1's
suggestion id is refused exactly like a missing id, changes nothing, DMs nobody, and the review
message is never rewritten. In OAuth mode the installer, who gets the review DMs, may decide."""

from __future__ import annotations

from adapters.slack.blocks import (
    APPROVE_ACTION,
    REASON_BLOCK,
    REASON_INPUT,
    REJECT_VIEW,
    reject_modal,
)
from bot.core.domain import PromptStatus
from tests.slack.slack_requests import block_action, view_submission
from tests.slack.slack_stack import Stack
from tests.slack.test_slack_suggestions import status, suggest

MISSING = 987654


async def click_approve(stack: Stack, team: str, user: str, ts: str, prompt_id: int) -> str:
    key = f"click{len(stack.fake.responses)}"
    url = f"{stack.fake.base_url}/response/{key}"
    click = block_action(team, user, "DUCONFIGURED", ts, APPROVE_ACTION, str(prompt_id), url)
    assert await stack.interact(click) == 200
    [answer] = [r for r in stack.fake.responses if r["key"] == key]
    assert answer["replace_original"] is False, "a refused click rewrote the review message"
    return str(answer["text"])


async def test_another_workspaces_admin_cannot_approve_and_learns_nothing(stack: Stack) -> None:
    stack.fake.add_user("UT2ADMIN", "T2", is_admin=True)
    prompt_id, review = await suggest(stack, "Which smell takes you back to childhood?")
    blocks_before = list(stack.fake.channels["DUCONFIGURED"].messages[0]["blocks"])

    theirs = await click_approve(stack, "T2", "UT2ADMIN", review["ts"], prompt_id)
    missing = await click_approve(stack, "T2", "UT2ADMIN", review["ts"], MISSING)

    assert theirs.replace(str(prompt_id), "<id>") == missing.replace(str(MISSING), "<id>")
    assert theirs == f"no prompt with id {prompt_id}"
    assert await status(stack, prompt_id) is PromptStatus.PENDING
    assert "DUMEMBER" not in stack.fake.channels  # the suggester was not DM'd
    assert stack.fake.channels["DUCONFIGURED"].messages[0]["blocks"] == blocks_before
    assert stack.fake.calls_to("chat.update") == []


async def test_another_workspaces_reject_modal_changes_nothing(stack: Stack) -> None:
    stack.fake.add_user("UT2ADMIN", "T2", is_admin=True)
    prompt_id, review = await suggest(stack, "What is the best sandwich ever made?")
    modal = reject_modal(prompt_id, "DUCONFIGURED", review["ts"])
    assert modal["callback_id"] == REJECT_VIEW
    values = {REASON_BLOCK: {REASON_INPUT: {"type": "plain_text_input", "value": "mine now"}}}

    assert await stack.interact(view_submission("T2", "UT2ADMIN", modal, values)) == 200

    assert await status(stack, prompt_id) is PromptStatus.PENDING
    assert stack.fake.calls_to("chat.update") == []
    assert "DUMEMBER" not in stack.fake.channels
    [told] = stack.fake.channels["DUT2ADMIN"].messages
    assert told["text"] == f"no prompt with id {prompt_id}"


async def test_a_refused_click_in_the_same_workspace_leaves_the_review_too(stack: Stack) -> None:
    prompt_id, review = await suggest(stack, "Which sound makes you smile instantly?")

    answer = await click_approve(stack, "T1", "UMEMBER", review["ts"], prompt_id)

    assert answer.startswith("Only the community's managers")
    assert await status(stack, prompt_id) is PromptStatus.PENDING
    assert stack.fake.calls_to("chat.update") == []
