"""Slack payloads -> neutral events: bots dropped, no text carried, emoji names mapped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.slack.emoji_names import from_slack_name, slack_name
from adapters.slack.translate import message, reaction
from bot.core.domain import MemberSeen, ReactionAdded, ReactionRemoved, ReplyPosted
from tests.slack.slack_requests import message_event, reaction_event

BOT = "UBOT1"


def test_member_reaction_becomes_a_neutral_event() -> None:
    ts = "1700000000.000100"
    event = reaction_event("reaction_added", "UMEMBER", "C1", ts, "+1::skin-tone-2")

    found = reaction(event, "T1", BOT)

    assert isinstance(found, ReactionAdded)
    assert (found.community, found.channel, found.message_id) == ("T1", "C1", ts)
    assert (found.member_id, found.emoji) == ("UMEMBER", "👍")


def test_removal_and_the_bots_own_reactions() -> None:
    removed = reaction_event("reaction_removed", "UMEMBER", "C1", "1.0", "party_parrot")
    event = reaction(removed, "T1", BOT)
    assert isinstance(event, ReactionRemoved)
    assert event.emoji == ":party_parrot:"
    assert reaction(reaction_event("reaction_added", BOT, "C1", "1.0", "tea"), "T1", BOT) is None


def test_thread_reply_and_plain_message() -> None:
    [reply] = message(message_event("UMEMBER", "C1", thread_ts="1.0"), "T1", BOT)
    [seen] = message(message_event("UMEMBER", "C1"), "T1", BOT)

    assert isinstance(reply, ReplyPosted) and reply.parent_id == "1.0"
    assert isinstance(seen, MemberSeen) and seen.member_id == "UMEMBER"
    assert not hasattr(seen, "text")


@pytest.mark.parametrize(
    "extra",
    [
        {"bot_id": "B2"},
        {"bot_profile": {"id": "B2", "name": "deploy-bot"}},
        {"subtype": "bot_message"},
        {"subtype": "channel_join"},
        {"subtype": "message_changed"},
        {"channel_type": "im"},
        {"user": BOT},
    ],
)
def test_messages_that_are_not_member_activity(extra: dict[str, object]) -> None:
    event = {**message_event("UMEMBER", "C1"), **extra}

    assert message(event, "T1", BOT) == []


def test_every_choice_emoji_in_the_packs_has_a_slack_name() -> None:
    packs = Path(__file__).resolve().parents[2] / "prompts"
    emoji = {
        match
        for pack in packs.glob("*.yaml")
        for match in re.findall(r'emoji:\s*"([^"]+)"', pack.read_text(encoding="utf-8"))
    }

    unknown = sorted(e for e in emoji if slack_name(e) is None)

    assert unknown == [], "add these to adapters/slack/emoji_names.py"
    assert all(from_slack_name(str(slack_name(e))) == e.replace("\ufe0f", "") for e in emoji)
