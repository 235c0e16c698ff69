"""`/tigerbird stats` on Slack with the real core: the summary, and a real chart uploaded."""

from __future__ import annotations

import io
from datetime import timedelta

import numpy as np
from PIL import Image

from bot.core.domain import PromptDraft
from tests.slack.slack_requests import message_event, reaction_event
from tests.slack.slack_stack import Stack


async def test_stats_answers_with_a_summary_and_uploads_a_real_chart(stack: Stack) -> None:
    await stack.core.service.add_prompts([PromptDraft("t/a", "Sunrise or sunset?", "small-joys")])
    await stack.command("UADMIN", "here 09:00 Europe/Paris mon-fri")
    stack.clock.advance(timedelta(hours=1))  # Monday 09:00 in Paris
    assert await stack.core.service.post_due() == 1
    async with stack.uow() as u:
        [post] = await u.posts.all()
    ts = str(post.message_id)
    soon = f"{(stack.clock.now() + timedelta(minutes=5)).timestamp():.6f}"
    # UADMIN writes in the channel (audience); UMEMBER reacts and replies (a responder).
    await stack.event(message_event("UADMIN", "CGENERAL", ts=soon, event_ts=soon))
    reaction = reaction_event("reaction_added", "UMEMBER", "CGENERAL", ts, "sunny")
    await stack.event({**reaction, "event_ts": soon})
    await stack.event(message_event("UMEMBER", "CGENERAL", thread_ts=ts, ts=soon, event_ts=soon))
    stack.clock.advance(timedelta(days=2))  # the post's 24-hour window has closed

    answer = await stack.command("UADMIN", "stats all")

    assert answer["response_type"] == "ephemeral"
    lines = answer["text"].splitlines()
    assert lines[0] == "*Stats here, all time:* 1 prompt posted · engagement 50.0% →"
    assert lines[2] == "1. Sunrise or sunset? — 50.0% (1×, all communities 50.0%)"
    [png] = stack.fake.uploads.values()
    image = Image.open(io.BytesIO(png))
    assert image.size == (1200, 675)
    assert np.asarray(image.convert("L"), dtype=np.float64).var() > 100
    [done] = stack.fake.calls_to("files.completeUploadExternal")
    assert done.params["channel_id"] == "DUADMIN"  # shown only to the manager who asked


async def test_stats_with_a_bad_period_says_which_are_allowed(stack: Stack) -> None:
    await stack.command("UADMIN", "here 09:00")
    answer = await stack.command("UADMIN", "stats forever")
    assert answer["text"] == "stats: 'forever' is not a period; use one of 30d, 90d, all"
    assert stack.fake.uploads == {}
