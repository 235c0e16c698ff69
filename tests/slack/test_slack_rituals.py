"""Member rituals through bolt and the fake Slack: a streak milestone said in the thread, the
best answer quoted under the next post with its text escaped and its author shown by name
(never a mention), and `/tigerbird me` answered ephemerally."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.domain import Post
from tests.slack.slack_requests import message_event, reaction_event
from tests.slack.slack_stack import Stack
from tests.slack.test_slack_end_to_end import schedule_and_fire


async def next_day(stack: Stack) -> Post:
    stack.clock.advance(timedelta(days=1))
    assert await stack.core.service.post_due() == 1
    async with stack.uow() as u:
        return max(await u.posts.all(), key=lambda p: p.slot_at)


def thread_lines(stack: Stack, ts: str) -> list[dict[str, Any]]:
    bot = stack.fake.team("T1").bot_user_id
    return [
        m
        for m in stack.fake.channels["CGENERAL"].messages
        if m.get("thread_ts") == ts and m.get("user") == bot
    ]


async def test_a_streak_of_three_is_said_in_the_posts_thread(stack: Stack) -> None:
    posts = [await schedule_and_fire(stack), await next_day(stack), await next_day(stack)]
    for post in posts:
        reply = message_event("UMEMBER", "CGENERAL", thread_ts=post.message_id)
        assert await stack.event(reply) == 200
        assert await stack.event(reply) == 200  # Slack retries: said once all the same

    assert [thread_lines(stack, str(p.message_id)) != [] for p in posts] == [False, False, True]
    [line] = thread_lines(stack, str(posts[2].message_id))
    assert line["text"].startswith("🔥 A 3-answer streak in this channel!")
    assert "<@" not in line["text"]

    answer = await stack.command("UMEMBER", "me")
    assert answer["response_type"] == "ephemeral"
    assert "#CGENERAL: streak 3 (best 3), 3 answers" in answer["text"]


async def test_the_best_answer_is_quoted_escaped_and_credited_by_name(stack: Stack) -> None:
    first = await schedule_and_fire(stack)
    assert (await stack.command("UADMIN", "settings best-answer on"))["text"] == (
        "best-answer set to on."
    )
    assert (await stack.command("UMEMBER", "me show"))["response_type"] == "ephemeral"
    reply = message_event(
        "UMEMBER", "CGENERAL", thread_ts=first.message_id, text="<!channel> & <@UADMIN> tea"
    )
    await stack.event(reply)
    await stack.event(reaction_event("reaction_added", "UADMIN", "CGENERAL", reply["ts"], "tea"))

    second = await next_day(stack)

    [line] = thread_lines(stack, str(second.message_id))
    assert line["text"] == (
        "💬 Best answer to the last question (1 reaction): "
        "“&lt;!channel&gt; &amp; &lt;@UADMIN&gt; tea” — umember"
    )
    assert stack.fake.violations == []
