"""Commands do what a manager means: `now` anywhere and twice a second, zone abbreviations,
skips that survive resume, members and groups named the way each platform sends them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName, PostStatus
from bot.core.invocations import Invocation
from bot.core.ports import PromptMessage, UnitOfWorkFactory
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import drafts, make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, 0, 250_000, tzinfo=UTC)


def _setup(
    store: UnitOfWorkFactory, platform: PlatformName = PlatformName.SLACK
) -> tuple[ChatCommands, FakePlatform, FrozenClock]:
    clock = FrozenClock(MONDAY_8)
    service, fake = make_service(store, clock, FakePlatform(platform, clock))
    return ChatCommands(service, "UTC"), fake, clock


def _inv(platform: PlatformName = PlatformName.SLACK, channel: str = "C1") -> Invocation:
    community = "T1" if platform is PlatformName.SLACK else "555"
    return Invocation(platform, community, channel, "U1", True)


async def test_now_in_a_channel_without_a_schedule_posts_there_once_with_a_hint(
    store: UnitOfWorkFactory,
) -> None:
    commands, platform, clock = _setup(store)
    await commands.service.sync_library(drafts(20))
    reply = await commands.run(_inv(channel="C9"), "now")
    assert reply.text.startswith("Posted.") and "`/tigerbird here 09:00`" in reply.text
    [message] = platform.messages
    assert message.channel == "C9"
    [schedule] = await commands.service.schedules_in_channel(PlatformName.SLACK, "T1", "C9")
    [post] = await commands.service.posts_of(schedule.id)  # a row and a marker, as any slot
    assert post.status is PostStatus.SENT and message.message.marker == post.marker
    clock.advance(timedelta(days=2))
    assert await commands.service.post_due() == 0  # a one-off, not a daily schedule
    # `here` turns the channel into a scheduled one
    reply = await commands.run(_inv(channel="C9"), "here 09:00")
    assert "paused" not in reply.text
    assert [s.id for s in await commands.service.list_schedules()] == [schedule.id]
    clock.advance(timedelta(days=1))
    assert await commands.service.post_due() == 1


async def test_two_nows_in_the_same_second_post_twice(store: UnitOfWorkFactory) -> None:
    commands, platform, _ = _setup(store)
    await commands.service.sync_library(drafts(20))
    await commands.run(_inv(), "here 09:00")
    first = await commands.run(_inv(), "now")
    second = await commands.run(_inv(), "now")  # the frozen clock: the very same instant
    assert (first.text, second.text) == ("Posted.", "Posted.")
    assert len(platform.messages) == 2
    assert len(set(platform.posted_markers())) == 2


async def test_two_nows_at_once_both_post(store: UnitOfWorkFactory) -> None:
    commands, platform, _ = _setup(store)
    await commands.service.sync_library(drafts(20))
    await commands.run(_inv(), "here 09:00")
    replies = await asyncio.gather(*(commands.run(_inv(), "now") for _ in range(2)))
    assert [r.text for r in replies] == ["Posted.", "Posted."]
    assert len(set(platform.posted_markers())) == 2


async def test_now_with_nothing_left_to_post_says_why(store: UnitOfWorkFactory) -> None:
    commands, platform, _ = _setup(store)
    await commands.run(_inv(), "here 09:00")
    reply = await commands.run(_inv(), "now")
    assert "no active prompt fits this channel's categories" in reply.text
    assert "nothing to post" not in reply.text and platform.messages == []


async def test_here_takes_zone_abbreviations_as_time_zones(store: UnitOfWorkFactory) -> None:
    commands, _, _ = _setup(store)
    reply = await commands.run(_inv(channel="C1"), "here 09:00 CET")
    assert "09:00 daily (CET)" in reply.text, reply.text
    reply = await commands.run(_inv(channel="C2"), "here 09:00 est mon-fri")
    assert "09:00 Mon,Tue,Wed,Thu,Fri (EST)" in reply.text, reply.text
    zones = {s.channel: s.spec.timezone for s in await commands.service.list_schedules()}
    assert zones == {"C1": "CET", "C2": "EST"}


async def test_resume_after_skip_keeps_the_skip(store: UnitOfWorkFactory) -> None:
    commands, platform, clock = _setup(store)
    await commands.service.sync_library(drafts(20))
    await commands.run(_inv(), "here 09:00")
    assert "next Tue 03 Mar 09:00" in (await commands.run(_inv(), "skip")).text
    assert "next Tue 03 Mar 09:00" in (await commands.run(_inv(), "resume")).text
    # paused for a day, then the manager skips the coming slot and resumes
    await commands.run(_inv(), "pause")
    clock.advance(timedelta(days=1))  # Tuesday 08:00
    await commands.run(_inv(), "skip")
    assert "next Wed 04 Mar 09:00" in (await commands.run(_inv(), "resume")).text
    clock.advance(timedelta(hours=1, minutes=1))  # Tuesday 09:01
    assert await commands.service.post_due() == 0 and platform.messages == []
    clock.advance(timedelta(days=1))
    assert await commands.service.post_due() == 1


async def test_managers_add_resolves_mentions_and_refuses_bare_names(
    store: UnitOfWorkFactory,
) -> None:
    commands, _, _ = _setup(store)
    await commands.run(_inv(), "here 09:00")
    for text in ("<@U0A1B2C3>", "<@U0D4E5F6|alice>", "U0G7H8I9"):
        assert "now" in (await commands.run(_inv(), f"settings managers add {text}")).text
    for text in ("@alice", "alice", "U0A1B2C3|alice"):
        reply = await commands.run(_inv(), f"settings managers add {text}")
        assert "managers: cannot tell who" in reply.text and "member ID" in reply.text, text
    community = await commands.service.community(PlatformName.SLACK, "T1")
    assert community is not None
    assert community.manager_ids == ("U0A1B2C3", "U0D4E5F6", "U0G7H8I9")
    member = Invocation(PlatformName.SLACK, "T1", "C1", "U0D4E5F6", False)
    assert "Paused" in (await commands.run(member, "pause")).text


async def test_discord_managers_add_takes_both_mention_forms(store: UnitOfWorkFactory) -> None:
    commands, _, _ = _setup(store, PlatformName.DISCORD)
    await commands.run(_inv(PlatformName.DISCORD), "here 09:00")
    for text in ("<@111>", "<@!222>", "333"):
        await commands.run(_inv(PlatformName.DISCORD), f"settings managers add {text}")
    refused = await commands.run(_inv(PlatformName.DISCORD), "settings managers add @bob")
    assert "cannot tell who '@bob' is" in refused.text
    community = await commands.service.community(PlatformName.DISCORD, "555")
    assert community is not None and community.manager_ids == ("111", "222", "333")


async def test_slack_ping_role_takes_user_groups_and_never_broadcasts(
    store: UnitOfWorkFactory,
) -> None:
    from adapters.slack.blocks import prompt_text

    commands, _, _ = _setup(store)
    await commands.run(_inv(), "here 09:00")
    for text in ("S0A1B2C3", "<!subteam^S0A1B2C3>", "<!subteam^S0A1B2C3|@devs>"):
        reply = await commands.run(_inv(), f"settings ping-role {text}")
        assert "ping-role set to" in reply.text, (text, reply.text)
        [schedule] = await commands.service.list_schedules()
        assert schedule.ping_role == "S0A1B2C3"
    for text in ("here", "<!here>", "@channel", "everyone", "devs"):
        reply = await commands.run(_inv(), f"settings ping-role {text}")
        assert "ping-role: " in reply.text and "must be a user group" in reply.text, text
    [schedule] = await commands.service.list_schedules()
    assert schedule.ping_role == "S0A1B2C3"
    ping = prompt_text(PromptMessage("Hi?", "x", "m", ping_role=schedule.ping_role))
    assert ping == "<!subteam^S0A1B2C3> Hi?"
    for stored in ("here", "channel", "everyone"):  # whatever an old row holds
        assert prompt_text(PromptMessage("Hi?", "x", "m", ping_role=stored)) == "Hi?"


async def test_discord_ping_role_refuses_the_everyone_role(store: UnitOfWorkFactory) -> None:
    commands, _, _ = _setup(store, PlatformName.DISCORD)
    await commands.run(_inv(PlatformName.DISCORD), "here 09:00")
    assert (
        "set to"
        in (await commands.run(_inv(PlatformName.DISCORD), "settings ping-role <@&77>")).text
    )
    refused = await commands.run(_inv(PlatformName.DISCORD), "settings ping-role <@&555>")
    assert "must be a role" in refused.text  # 555 is the server: its @everyone role
    [schedule] = await commands.service.list_schedules()
    assert schedule.ping_role == "77"


async def test_non_ascii_digits_are_refused_as_numbers_not_crashes(
    store: UnitOfWorkFactory,
) -> None:
    commands, _, _ = _setup(store)
    await commands.service.sync_library(drafts(20))
    await commands.run(_inv(), "here 09:00")
    for text in ("approve ²", "preview ²", "preview ١", "settings repeat-window ²"):
        reply = await commands.run(_inv(), text)  # `"²".isdigit()` is True, `int("²")` fails
        assert "number" in reply.text or "no prompt" in reply.text, (text, reply.text)
    reply = await commands.run(_inv(), 'settings cron "0 ² * * *"')
    assert "Traceback" not in reply.text
