"""Replies written while the bot was away: SlackPlatform.current_replies."""

from __future__ import annotations

from adapters.slack import translate
from adapters.slack.platform import SlackPlatform
from bot.core.domain import ReplyPosted
from bot.core.ports import PromptMessage
from tests.slack.fake_slack import FakeSlack

PROMPT = PromptMessage("Cats or dogs?", "pets", "m1")


async def test_current_replies_are_people_in_the_thread_read_as_live_events_read_them(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    target = await platform.post("T1", "CGENERAL", PROMPT)
    fake_slack.add_user("UOTHERBOT", is_bot=True)
    bot = fake_slack.team("T1").bot_user_id
    written = [
        fake_slack.reply("CGENERAL", target.message_id, user)
        for user in ("UMEMBER", "UADMIN", "UMEMBER", "UOTHERBOT", bot)
    ]
    fake_slack.channels["CGENERAL"].messages.append(  # not in the thread: not a reply
        {"type": "message", "ts": "9999999999.000001", "user": "UADMIN", "text": "hi"}
    )

    found = await platform.current_replies("T1", target)

    live = []
    for message in written[:3]:
        event = {**message, "channel": "CGENERAL", "channel_type": "channel"}
        [reply] = translate.message(event, "T1", bot)
        assert isinstance(reply, ReplyPosted) and reply.parent_id == target.message_id
        live.append((reply.member_id, reply.at))
    assert found == live  # the other bot and Tigerbird itself are left out


async def test_current_replies_reads_every_page_and_an_empty_thread_has_none(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    target = await platform.post("T1", "CGENERAL", PROMPT)
    assert await platform.current_replies("T1", target) == []
    for _ in range(230):  # more than one page of 200
        fake_slack.reply("CGENERAL", target.message_id, "UMEMBER")

    found = await platform.current_replies("T1", target)

    assert len(found) == 230 and {user for user, _ in found} == {"UMEMBER"}
    pages = fake_slack.calls_to("conversations.replies")
    assert [c.params.get("cursor") for c in pages] == [None, None, "200"]
