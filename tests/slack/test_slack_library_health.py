"""Library health through Slack: a member fixes their waiting suggestion, anonymous
suggestions reach the managers' review DM without the suggester, and preview names the days
left."""

from __future__ import annotations

from bot.core.domain import PromptStatus
from tests.slack.slack_stack import Stack
from tests.slack.test_slack_suggestions import suggest


async def test_a_member_edits_their_waiting_suggestion(stack: Stack) -> None:
    prompt_id, _ = await suggest(stack, "Which smell takes you back to childhood?")
    answer = await stack.command(
        "UMEMBER", f"suggest edit {prompt_id} Which sound takes you back to childhood?"
    )
    assert "now reads: “Which sound takes you back to childhood?”" in answer["text"]
    other = await stack.command("UCONFIGURED", f"suggest edit {prompt_id} Mine now, is it?")
    assert "Suggestion #" in other["text"]  # a manager may fix it before deciding
    prompt = await stack.core.service.get_prompt(prompt_id)
    assert prompt.status is PromptStatus.PENDING and prompt.text == "Mine now, is it?"


async def test_anonymous_suggestions_hide_the_suggester_from_the_review_dm(stack: Stack) -> None:
    switched = await stack.command("UCONFIGURED", "settings anonymous-suggestions on")
    assert switched["text"] == "anonymous-suggestions set to on."
    _, review = await suggest(stack, "Which smell takes you back to childhood?")
    text = review["blocks"][0]["text"]["text"]
    assert text.startswith("A member (anonymous) suggested") and "UMEMBER" not in text


async def test_preview_names_the_days_left(stack: Stack) -> None:
    await stack.command("UCONFIGURED", "here 09:00")
    answer = await stack.command("UCONFIGURED", "preview 1")
    assert "Library: " in answer["text"] and "left before repeats" in answer["text"]
