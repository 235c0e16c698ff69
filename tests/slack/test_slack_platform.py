"""SlackPlatform against the fake Slack, with the real slack_sdk client over loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.client import web_client
from adapters.slack.oauth import StaticTokens
from adapters.slack.platform import SlackPlatform
from bot.core.domain import Choice, Target
from bot.core.ports import PlatformError, PromptMessage
from tests.slack.fake_slack import FakeSlack

PROMPT = PromptMessage(
    text="Cats <or> dogs & why?",
    category="pets",
    marker="slot-7-20260101T0900",
    choices=(Choice("🐱", "Cats"), Choice("🐶", "Dogs")),
)


async def test_post_carries_marker_blocks_and_choice_reactions(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    target = await platform.post("T1", "CGENERAL", PROMPT)

    [message] = fake_slack.posts("CGENERAL")
    assert target == Target("CGENERAL", message["ts"])
    assert message["metadata"] == {
        "event_type": "tigerbird_prompt",
        "event_payload": {"marker": PROMPT.marker},
    }
    assert message["text"] == "Cats &lt;or&gt; dogs &amp; why?"
    assert message["blocks"][0]["text"]["text"] == message["text"]
    assert "pets" in message["blocks"][1]["elements"][0]["text"]
    assert message["reactions"] == ["cat", "dog"]
    [call] = fake_slack.calls_to("chat.postMessage")
    assert "link_names" not in call.params


async def test_unknown_choice_emoji_is_skipped_not_fatal(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    prompt = PromptMessage("Pick", "misc", "m1", choices=(Choice("🦖", "Rex"), Choice("👍", "Yes")))

    await platform.post("T1", "CGENERAL", prompt)

    assert fake_slack.posts("CGENERAL")[0]["reactions"] == ["+1"]


async def test_rate_limit_is_waited_out_and_posts_once(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    fake_slack.fail("chat.postMessage", status=429, retry_after=1)

    await platform.post("T1", "CGENERAL", PROMPT)

    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert len(fake_slack.posts("CGENERAL")) == 1


async def test_server_errors_beyond_the_retry_budget_are_transient(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.fail("chat.postMessage", status=503, times=10)
    token = fake_slack.team("T1").bot_token
    platform = SlackPlatform(web_client(fake_slack.api_url), StaticTokens(token))

    with pytest.raises(PlatformError) as raised:
        await platform.post("T1", "CGENERAL", PROMPT)

    assert raised.value.permanent is False
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
    assert fake_slack.posts("CGENERAL") == []


async def test_a_5xx_after_slack_posted_does_not_post_twice(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    fake_slack.fail("chat.postMessage", status=500, after_success=True)

    target = await platform.post("T1", "CGENERAL", PROMPT)

    [message] = fake_slack.posts("CGENERAL")
    assert target.message_id == message["ts"]
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert message["reactions"] == ["cat", "dog"]


async def test_a_5xx_before_posting_is_retried(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    fake_slack.fail("chat.postMessage", status=503)

    await platform.post("T1", "CGENERAL", PROMPT)

    assert len(fake_slack.posts("CGENERAL")) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


@pytest.mark.parametrize("code", ["channel_not_found", "is_archived", "not_in_channel"])
async def test_channel_errors_are_permanent(
    fake_slack: FakeSlack, platform: SlackPlatform, code: str
) -> None:
    fake_slack.fail("chat.postMessage", error=code)

    with pytest.raises(PlatformError) as raised:
        await platform.post("T1", "CGENERAL", PROMPT)

    assert (raised.value.permanent, raised.value.code) == (True, code)


async def test_revoked_token_is_permanent(fake_slack: FakeSlack) -> None:
    platform = SlackPlatform(web_client(fake_slack.api_url), StaticTokens("xoxb-revoked"))

    with pytest.raises(PlatformError) as raised:
        await platform.post("T1", "CGENERAL", PROMPT)

    assert (raised.value.permanent, raised.value.code) == (True, "invalid_auth")


async def test_find_post_matches_the_marker_across_history_pages(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    since = datetime.now(UTC) - timedelta(minutes=1)
    target = await platform.post("T1", "CGENERAL", PROMPT)
    for _ in range(205):  # newer chatter pushes the post onto the second page
        fake_slack.channels["CGENERAL"].messages.append(
            {"type": "message", "ts": fake_slack._next_ts(), "user": "UMEMBER", "text": "x"}
        )

    found = await platform.find_post("T1", "CGENERAL", PROMPT.marker, since)

    assert found == target
    assert len(fake_slack.calls_to("conversations.history")) == 2
    assert await platform.find_post("T1", "CGENERAL", "another-slot", since) is None
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert await platform.find_post("T1", "CGENERAL", PROMPT.marker, later) is None


async def test_pin_and_unpin(fake_slack: FakeSlack, platform: SlackPlatform) -> None:
    target = await platform.post("T1", "CGENERAL", PROMPT)

    await platform.pin("T1", target)
    await platform.pin("T1", target)
    assert fake_slack.channels["CGENERAL"].pins == {target.message_id}
    await platform.unpin("T1", target)
    await platform.unpin("T1", target)
    assert fake_slack.channels["CGENERAL"].pins == set()


async def test_notify_managers_dms_the_configured_managers(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    await platform.notify_managers("T1", "Schedule paused: <#C1> is archived & gone")

    [dm] = fake_slack.channels["DUADMIN"].messages
    assert dm["text"] == "Schedule paused: &lt;#C1&gt; is archived &amp; gone"


async def test_with_no_manager_configured_the_workspace_admins_are_told(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.add_user("UOWNER", is_owner=True)
    token = fake_slack.team("T1").bot_token
    platform = SlackPlatform(web_client(fake_slack.api_url), StaticTokens(token))

    await platform.notify_managers("T1", "Schedule paused")

    told = sorted(c.params["users"] for c in fake_slack.calls_to("conversations.open"))
    assert told == ["UADMIN", "UOWNER"]  # not the member, not the bot


async def test_contract_checker_flags_unknown_parameters(fake_slack: FakeSlack) -> None:
    client = web_client(fake_slack.api_url, token=fake_slack.team("T1").bot_token)

    await client.api_call("chat.postMessage", json={"channel": "CGENERAL", "text": "x", "bogus": 1})
    with pytest.raises(SlackApiError):
        await client.api_call("chat.fly", json={})

    assert fake_slack.violations == [
        "chat.postMessage: unknown parameter bogus",
        "unknown method chat.fly",
    ]
    fake_slack.violations.clear()
