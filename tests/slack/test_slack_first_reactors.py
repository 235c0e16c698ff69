"""Events are acknowledged without waiting on Slack: who reacted is looked up after the ack
(users.list in the background, users.info for the rest), and a bot's reactions recorded in
the meantime are removed once Slack says it is a bot."""

from __future__ import annotations

import asyncio
import json

from bot.core.domain import PlatformName, Post, ResponseKind
from tests.slack.slack_requests import event_callback, post_signed, reaction_event
from tests.slack.slack_stack import SECRET, Stack
from tests.slack.test_slack_end_to_end import schedule_and_fire

LOOKUPS = ("users.list", "users.info")
WAIT = 60.0  # only so that a regression fails instead of hanging


def _hold_lookups(stack: Stack) -> asyncio.Event:
    """Slack answers no users.* call until the returned event is set."""
    release = asyncio.Event()
    for method in LOOKUPS:
        stack.fake.held[method] = release
    return release


async def _react(stack: Stack, user: str, ts: str, name: str = "coffee") -> int:
    """One signed reaction_added; the acknowledgement is logged in the fake's answer log."""
    event = reaction_event("reaction_added", user, "CGENERAL", ts, name)
    body = json.dumps(event_callback("T1", event, stack.fake.team("T1").bot_user_id))
    status, _ = await post_signed(stack.url, body, "application/json", SECRET)
    stack.fake.answered.append("ack")
    return status


async def _reactors(stack: Stack, post: Post) -> set[str]:
    async with stack.uow() as u:
        found = await u.responses.for_post(post.id)
    return {member for member, kind, _, _ in found if kind is ResponseKind.REACTION}


async def test_first_time_reactors_are_all_acknowledged_before_any_lookup(stack: Stack) -> None:
    post = await schedule_and_fire(stack)
    users = [f"UREACT{i:03}" for i in range(150)]
    for user in [*users, *(f"UQUIET{i:03}" for i in range(100))]:
        stack.fake.add_user(user)
    stack.fake.answered.clear()
    before = len(stack.fake.calls)
    release = _hold_lookups(stack)

    acks = [_react(stack, user, str(post.message_id)) for user in users]
    statuses = await asyncio.wait_for(asyncio.gather(*acks), WAIT)

    assert statuses == [200] * 150
    assert len(await _reactors(stack, post)) == 150  # every acknowledged reaction is stored
    release.set()
    assert stack.adapter.members is not None
    await asyncio.wait_for(stack.adapter.members.settled(), WAIT)
    timeline = stack.fake.answered
    last_ack = max(i for i, what in enumerate(timeline) if what == "ack")
    assert not [what for what in timeline[:last_ack] if what in LOOKUPS]
    lookups = [call for call in stack.fake.calls[before:] if call.method in LOOKUPS]
    pages = [call for call in lookups if call.method == "users.list"]
    assert len(lookups) == len(pages)  # no users.info: the member list knew everyone
    assert len(pages) == 2 and pages[1].params["cursor"] == "200"  # paged, once
    assert len(await _reactors(stack, post)) == 150  # members' reactions are kept


async def test_a_bots_reaction_is_removed_once_slack_says_it_is_a_bot(sql_stack: Stack) -> None:
    stack = sql_stack
    post = await schedule_and_fire(stack)
    stack.fake.add_user("UOTHERBOT", is_bot=True)
    stack.fake.add_user("UPERSON")
    release = _hold_lookups(stack)
    ts = str(post.message_id)

    assert await _react(stack, "UOTHERBOT", ts) == 200
    assert await _react(stack, "UPERSON", ts) == 200
    recorded = await _reactors(stack, post)
    release.set()
    assert stack.adapter.members is not None
    await asyncio.wait_for(stack.adapter.members.settled(), WAIT)
    reconciled = await _reactors(stack, post)
    assert await _react(stack, "UOTHERBOT", ts, "tea") == 200  # now known: not recorded
    await stack.adapter.members.settled()

    assert len(recorded) == 2  # recorded first: nothing waited on Slack
    assert len(reconciled) == 1 and reconciled == await _reactors(stack, post)
    assert stack.core.service.members.key(PlatformName.SLACK, "UPERSON") in reconciled
