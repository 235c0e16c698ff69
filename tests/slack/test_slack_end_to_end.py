"""The real core on SQLite + the Slack adapter (bolt over HTTP) + the fake Slack."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.domain import Choice, Post, PostStatus, PromptDraft, ResponseKind
from tests.slack.slack_requests import message_event, reaction_event
from tests.slack.slack_stack import Stack

CHOICES = (Choice("☕", "Coffee"), Choice("🍵", "Tea"))


async def add_prompt(stack: Stack) -> None:
    draft = PromptDraft("test/drinks", "Coffee or tea?", "food-drink", choices=CHOICES)
    await stack.core.service.add_prompts([draft])


async def schedule_and_fire(stack: Stack) -> Post:
    """A manager schedules #general at 09:00 Paris on weekdays; Monday 09:00 comes."""
    await add_prompt(stack)
    answer = await stack.command("UADMIN", "here 09:00 Europe/Paris mon-fri")
    assert answer["text"].startswith("Scheduled here")
    assert answer["response_type"] == "in_channel"
    stack.clock.advance(timedelta(hours=1))  # 08:00 UTC = 09:00 in Paris (CET)
    assert await stack.core.service.post_due() == 1
    async with stack.uow() as u:
        [post] = await u.posts.all()
    return post


async def responses(stack: Stack, post: Post) -> list[tuple[ResponseKind, str]]:
    async with stack.uow() as u:
        return sorted((kind, emoji) for _, kind, emoji, _ in await u.responses.for_post(post.id))


async def test_scheduled_slot_fires_exactly_one_post(stack: Stack) -> None:
    post = await schedule_and_fire(stack)

    assert await stack.core.service.post_due() == 0
    [message] = stack.fake.posts("CGENERAL")
    assert post.status is PostStatus.SENT and post.message_id == message["ts"]
    assert message["metadata"]["event_payload"]["marker"] == post.marker
    assert message["reactions"] == ["coffee", "tea"]
    assert "Coffee or tea?" in message["text"]


async def test_reactions_and_replies_are_stored_once(stack: Stack) -> None:
    post = await schedule_and_fire(stack)
    ts = str(post.message_id)
    added = reaction_event("reaction_added", "UMEMBER", "CGENERAL", ts, "coffee")
    reply = message_event("UMEMBER", "CGENERAL", thread_ts=ts)

    for _ in range(2):  # Slack retries deliveries: replays change nothing
        assert await stack.event(added) == 200
        assert await stack.event(reply) == 200
    await stack.event(reaction_event("reaction_added", "UBOT1", "CGENERAL", ts, "tea"))
    assert await responses(stack, post) == [(ResponseKind.REACTION, "☕"), (ResponseKind.REPLY, "")]

    await stack.event(reaction_event("reaction_removed", "UMEMBER", "CGENERAL", ts, "coffee"))
    assert await responses(stack, post) == [(ResponseKind.REPLY, "")]


async def test_channel_messages_only_feed_the_audience(stack: Stack) -> None:
    post = await schedule_and_fire(stack)
    await stack.event(message_event("UMEMBER", "CGENERAL"))
    await stack.event(message_event("UOTHER", "CGENERAL", bot_id="BOTHER"))

    async with stack.uow() as u:
        assert await u.activity.audience(1, "CGENERAL", post.slot_at - timedelta(days=1)) == 1
    assert await responses(stack, post) == []


async def test_forged_or_stale_signatures_are_refused(stack: Stack) -> None:
    post = await schedule_and_fire(stack)
    added = reaction_event("reaction_added", "UMEMBER", "CGENERAL", str(post.message_id), "+1")

    assert await stack.event(added, forged=True) == 401
    assert await stack.event(added, age_seconds=6 * 60) == 401
    assert await responses(stack, post) == []


async def test_non_manager_is_refused_with_an_explanation(stack: Stack) -> None:
    answer = await stack.command("UMEMBER", "here 10:00")

    assert "Only the community's managers" in answer["text"]
    assert answer["response_type"] == "ephemeral"
    assert await stack.core.service.list_schedules() == []


async def test_rate_limited_post_is_sent_once_after_the_wait(stack: Stack) -> None:
    stack.fake.fail("chat.postMessage", status=429, retry_after=1, channel="CGENERAL")

    post = await schedule_and_fire(stack)

    assert post.status is PostStatus.SENT
    assert len(stack.fake.posts("CGENERAL")) == 1


@pytest.mark.parametrize("code", ["channel_not_found", "is_archived"])
async def test_a_refused_post_pauses_the_schedule_and_tells_the_managers(
    stack: Stack, code: str
) -> None:
    stack.fake.fail("chat.postMessage", error=code, channel="CGENERAL")

    await schedule_and_fire(stack)

    [schedule] = await stack.core.service.list_schedules()
    assert schedule.paused
    dms = [m["text"] for m in stack.fake.channels["DUCONFIGURED"].messages]
    assert any("paused" in text and code in text for text in dms), dms


async def test_archived_channel_is_caught_by_the_preflight(stack: Stack) -> None:
    await add_prompt(stack)
    await stack.command("UADMIN", "here 09:00 Europe/Paris mon-fri")
    stack.fake.channels["CGENERAL"].is_archived = True
    stack.clock.advance(timedelta(hours=1))

    await stack.core.service.post_due()

    [schedule] = await stack.core.service.list_schedules()
    assert schedule.paused and "archived" in str(schedule.pause_reason)
    assert stack.fake.posts("CGENERAL") == []
    dms = [m["text"] for m in stack.fake.channels["DUCONFIGURED"].messages]
    assert any("archived" in text for text in dms), dms
