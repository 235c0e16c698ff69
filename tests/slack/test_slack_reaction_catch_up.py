"""Reactions made while the bot was away: SlackPlatform.current_reactions and the catch-up."""

from __future__ import annotations

from adapters.slack import translate
from adapters.slack.platform import SlackPlatform
from bot.core.domain import Choice, ReactionAdded, ResponseKind, Target
from bot.core.ports import PromptMessage
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_requests import reaction_event
from tests.slack.slack_stack import Stack
from tests.slack.test_slack_end_to_end import responses, schedule_and_fire

CHOICES = (Choice("🐱", "Cats"), Choice("🐶", "Dogs"))
PROMPT = PromptMessage("Cats or dogs?", "pets", "m1", choices=CHOICES)


async def test_current_reactions_are_people_only_named_as_live_events_name_them(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    target = await platform.post("T1", "CGENERAL", PROMPT)
    fake_slack.add_user("UOTHERBOT", is_bot=True)
    reacted = [
        ("UMEMBER", "cat"),
        ("UMEMBER", "+1::skin-tone-3"),
        ("UADMIN", "thumbsup"),
        ("UADMIN", "custom_party"),
        ("UOTHERBOT", "dog"),
    ]
    for user, name in reacted:
        fake_slack.react("CGENERAL", target.message_id, user, name)

    found = await platform.current_reactions("T1", target)

    bot = fake_slack.team("T1").bot_user_id
    live = set()
    for user, name in reacted:
        event = reaction_event("reaction_added", user, "CGENERAL", target.message_id, name)
        translated = translate.reaction(event, "T1", bot)
        assert isinstance(translated, ReactionAdded)
        live.add((user, translated.emoji))
    assert sorted(found) == sorted(live - {("UOTHERBOT", "🐶")})
    assert sorted(found) == [
        ("UADMIN", ":custom_party:"),
        ("UADMIN", "👍"),
        ("UMEMBER", "🐱"),
        ("UMEMBER", "👍"),
    ]
    assert all(user != bot for user, _ in found)  # the bot's own 🐱 and 🐶 are left out


async def test_a_message_nobody_reacted_to_has_no_reactions(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    target = await platform.post("T1", "CGENERAL", PROMPT)

    assert await platform.current_reactions("T1", target) == []
    assert await platform.current_reactions("T1", Target("CGENERAL", target.message_id)) == []


async def test_catch_up_adds_missed_reactions_removes_gone_ones_and_keeps_live_ones(
    stack: Stack,
) -> None:
    post = await schedule_and_fire(stack)
    ts = str(post.message_id)
    for user, name in [("UMEMBER", "coffee"), ("UADMIN", "tea"), ("UADMIN", "+1::skin-tone-2")]:
        stack.fake.react("CGENERAL", ts, user, name)  # seen live
        added = reaction_event("reaction_added", user, "CGENERAL", ts, name)
        assert await stack.event(added) == 200
    live = await responses(stack, post)
    # the bot is away: one reaction is added, one removed, and neither event reaches it
    stack.fake.react("CGENERAL", ts, "UCONFIGURED", "coffee")
    stack.fake.unreact("CGENERAL", ts, "UADMIN", "tea")

    assert await stack.core.service.catch_up_reactions() == 2
    assert await stack.core.service.catch_up_reactions() == 0  # live and caught-up names agree

    caught_up = await responses(stack, post)
    assert live == [(ResponseKind.REACTION, e) for e in sorted(["☕", "🍵", "👍"])]
    assert caught_up == [(ResponseKind.REACTION, e) for e in sorted(["☕", "☕", "👍"])]
