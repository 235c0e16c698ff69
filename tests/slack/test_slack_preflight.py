"""Permission pre-flight: joins public channels, explains everything else."""

from __future__ import annotations

import pytest

from adapters.slack.platform import SlackPlatform
from bot.core.domain import Choice
from bot.core.ports import PlatformError, PromptMessage
from tests.slack.fake_slack import FakeSlack

TEA = Choice("🍵", "tea")


async def check(platform: SlackPlatform, channel: str, pin: bool = False) -> list[str]:
    missing = await platform.check_permissions("T1", channel, pin=pin, thread=True, ping_role=None)
    return [m.what for m in missing]


async def test_all_well_in_a_channel_the_bot_is_in(platform: SlackPlatform) -> None:
    assert await check(platform, "CGENERAL", pin=True) == []


async def test_joins_a_public_channel(fake_slack: FakeSlack, platform: SlackPlatform) -> None:
    fake_slack.add_channel("CRANDOM", name="random")

    assert await check(platform, "CRANDOM") == []
    assert fake_slack.team("T1").bot_user_id in fake_slack.channels["CRANDOM"].members


async def test_private_channel_needs_an_invite(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    fake_slack.add_channel("GSECRET", name="secret", is_private=True)

    missing = await platform.check_permissions(
        "T1", "GSECRET", pin=False, thread=True, ping_role=None
    )

    assert [m.what for m in missing] == ["membership of #secret"]
    assert "/invite @Tigerbird" in missing[0].how_to_fix
    assert fake_slack.calls_to("conversations.join") == []


async def test_archived_and_deleted_channels(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    fake_slack.add_channel("COLD", name="old", is_archived=True)

    assert await check(platform, "COLD") == ["#old is archived"]
    assert await check(platform, "CGONE") == ["access to channel CGONE"]


async def test_missing_scopes_are_named(fake_slack: FakeSlack, platform: SlackPlatform) -> None:
    fake_slack.team("T1").scopes = "chat:write,channels:history,channels:read"

    missing = await platform.check_permissions(
        "T1", "CGENERAL", pin=True, thread=True, ping_role=None
    )

    assert [m.what for m in missing] == [
        "the `reactions:write` permission",
        "the `pins:write` permission",
    ]
    assert "Reinstall" in missing[0].how_to_fix


async def test_a_workspace_is_asked_once_for_its_scopes_and_channels(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    fake_slack.add_channel("CTWO", name="two", members={fake_slack.team("T1").bot_user_id})

    assert await check(platform, "CGENERAL", pin=True) == []
    assert await check(platform, "CTWO") == []

    assert len(fake_slack.calls_to("auth.test")) == 1
    assert len(fake_slack.calls_to("conversations.list")) == 1
    assert fake_slack.calls_to("conversations.info") == []


async def test_what_changes_after_the_check_still_stops_the_post(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    assert await check(platform, "CGENERAL") == []
    fake_slack.channels["CGENERAL"].is_archived = True

    assert await check(platform, "CGENERAL") == []  # remembered for a short time, but:
    with pytest.raises(PlatformError) as failed:
        await platform.post("T1", "CGENERAL", PromptMessage("Tea?", "food", "m1"))
    assert failed.value.permanent and failed.value.code == "is_archived"
    assert await check(platform, "CGENERAL") == ["#general is archived"]  # asked again


async def test_a_scope_error_makes_the_next_check_ask_again(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    assert await check(platform, "CGENERAL") == []
    fake_slack.team("T1").scopes = "chat:write,channels:history,channels:read"
    fake_slack.fail("reactions.add", error="missing_scope")

    await platform.post("T1", "CGENERAL", PromptMessage("Tea?", "food", "m1", (TEA,)))
    await platform.drain()

    assert await check(platform, "CGENERAL") == ["the `reactions:write` permission"]
    assert len(fake_slack.calls_to("auth.test")) == 2


async def test_channels_not_listed_are_looked_up_one_by_one(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    fake_slack.add_channel("CRANDOM", name="random")  # the bot is not in it yet

    assert await check(platform, "CRANDOM") == []

    assert [c.params["channel"] for c in fake_slack.calls_to("conversations.info")] == ["CRANDOM"]
    assert len(fake_slack.calls_to("conversations.join")) == 1
