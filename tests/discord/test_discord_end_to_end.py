"""The whole bot on SQLite with the real discord.py client against the fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.domain import PostStatus
from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, OWNER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_admin import set_channel_overwrite
from tests.discord.fake_discord_people import (
    answer_text,
    react,
    say,
    slash,
    thread_channel,
    unreact,
)
from tests.discord.fake_discord_rest import Logged
from tests.discord.fake_discord_state import APP_ID, MANAGE_GUILD, PIN_MESSAGES


def creates_in(fake: FakeDiscord, channel_id: int) -> list[Logged]:
    """Message-create requests for one channel (DMs to the owner go elsewhere)."""
    calls = fake.rest.calls("POST", "/channels/{channel_id}/messages")
    return [c for c in calls if c.path == f"/channels/{channel_id}/messages"]


@pytest.fixture
async def stack(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[Stack, Server]]:
    server = populate(fake_discord, GUILD_A, "A")
    clock = FrozenClock(datetime.now(UTC))
    running = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    yield running, server
    await running.stop()


async def command(fake: FakeDiscord, server: Server, user: int, sub: str, **opts: str | int) -> str:
    iid = slash(fake, GUILD_A, server.channel.id, user, sub, **opts)
    await fake.wait_until(lambda: answer_text(fake, iid) is not None)
    return answer_text(fake, iid) or ""


async def deny_bot_role(fake: FakeDiscord, bot: Stack, server: Server, permission: int) -> None:
    """Deny the bot's role a permission in the channel, and wait until the bot's gateway
    cache has seen the CHANNEL_UPDATE (pre-flight reads the cache)."""
    set_channel_overwrite(fake, server.channel, GUILD_A + 1, deny=permission)
    await fake.wait_until(lambda: bot_role_denied(bot, server, permission))


def bot_role_denied(bot: Stack, server: Server, permission: int) -> bool:
    channel = bot.adapter.client.get_channel(server.channel.id)
    overwrites = getattr(channel, "overwrites", {})
    return any(
        target.id == GUILD_A + 1 and overwrite.pair()[1].value & permission
        for target, overwrite in overwrites.items()
    )


def soon_utc(minutes: int = 2) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%H:%M")


def prompts_posted(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    return [m for m in fake.world.channel_messages(channel_id) if m["embeds"]]


async def test_manager_schedules_and_the_slot_posts_once_with_nonce_thread_reactions(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    reply = await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    assert reply.startswith("Scheduled here")

    assert await bot.fire_next_slot() == 1

    [message] = prompts_posted(fake_discord, server.channel.id)
    [post] = await bot.posts()
    [create] = creates_in(fake_discord, server.channel.id)
    assert post.status is PostStatus.SENT and post.message_id == message["id"]
    assert create.body["nonce"] == post.marker and create.body["enforce_nonce"] is True
    assert thread_channel(fake_discord, message["id"]).parent_id == server.channel.id
    emojis = [e for e, user in fake_discord.world.reactions[int(message["id"])] if user == APP_ID]
    assert emojis == ["🍵", "☕"]


async def test_prompt_with_everyone_and_role_mentions_is_sent_with_no_mentions_allowed(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    await bot.fire_next_slot()

    [create] = creates_in(fake_discord, server.channel.id)
    assert create.body["allowed_mentions"] == {"parse": []}
    assert "content" not in create.body or create.body["content"] is None
    assert "@everyone" not in create.body["embeds"][0]["description"]


async def test_a_crash_before_recording_reposts_the_same_nonce_and_nothing_new_appears(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time=soon_utc(), tz="UTC")
    await bot.fire_next_slot()
    [post] = await bot.posts()
    first_id = post.message_id
    async with bot.uow() as u:  # the process died after Discord created the message
        post.status, post.message_id, post.thread_id = PostStatus.CLAIMED, None, None
        await u.posts.update(post)
        await u.commit()

    assert await bot.core.service.recover(lease=timedelta(0)) == 1

    [post] = await bot.posts()
    assert len(creates_in(fake_discord, server.channel.id)) == 2  # asked twice, ...
    assert [m["id"] for m in prompts_posted(fake_discord, server.channel.id)] == [first_id]
    assert post.status is PostStatus.SENT and post.message_id == first_id  # ... one message


async def test_reactions_and_thread_replies_are_stored_idempotently_and_removals_removed(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    await bot.fire_next_slot()
    [post] = await bot.posts()
    assert post.message_id is not None
    thread = thread_channel(fake_discord, post.message_id)

    react(fake_discord, GUILD_A, post.message_id, MEMBER, "🍵")
    react(fake_discord, GUILD_A, post.message_id, MEMBER, "🍵")  # a replayed event
    react(fake_discord, GUILD_A, post.message_id, MANAGER, "☕")
    say(fake_discord, GUILD_A, thread.id, MEMBER, "tea, always")
    say(fake_discord, GUILD_A, thread.id, MEMBER, "really")
    both = [("reaction", "☕"), ("reaction", "🍵"), ("reply", "")]
    await bot.wait_for_responses(post.id, both)

    # discord.py handles events concurrently, so the removal is sent once the add is stored
    unreact(fake_discord, GUILD_A, post.message_id, MANAGER, "☕")
    await bot.wait_for_responses(post.id, [("reaction", "🍵"), ("reply", "")])

    assert len(await bot.responses(post.id)) == 2


async def test_member_without_manage_server_is_refused_even_if_the_command_is_opened(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    # the fake lets anyone invoke the command, as a server admin's override would
    reply = await command(fake_discord, server, MEMBER, "here", time="09:00", tz="UTC")

    assert reply.startswith("Only the community's managers")
    assert await bot.schedules() == []


async def test_missing_pin_permission_pauses_the_schedule_and_tells_the_owner(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    await command(fake_discord, server, MANAGER, "settings", change="pin on")
    await deny_bot_role(fake_discord, bot, server, PIN_MESSAGES)

    await bot.fire_next_slot()

    [schedule] = await bot.schedules()
    assert schedule.paused and "Pin Messages" in (schedule.pause_reason or "")
    assert prompts_posted(fake_discord, server.channel.id) == []
    [(to, dm)] = [(u, m) for u, m in fake_discord.world.dms if "paused" in m["content"]]
    assert to == OWNER and "Pin Messages in #general" in dm["content"]


async def test_listed_managers_are_told_too_each_once(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    await command(fake_discord, server, MANAGER, "settings", change=f"managers add <@{MEMBER}>")
    await command(fake_discord, server, MANAGER, "settings", change=f"managers add <@{OWNER}>")
    await command(fake_discord, server, MANAGER, "settings", change="pin on")
    await deny_bot_role(fake_discord, bot, server, PIN_MESSAGES)

    await bot.fire_next_slot()

    told = sorted(u for u, m in fake_discord.world.dms if "paused" in m["content"])
    assert told == sorted([OWNER, MEMBER])


async def test_manager_role_without_manage_server_needs_the_permission(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    _, server = stack
    mods = fake_discord.world.guilds[GUILD_A].roles[server.manager_role]
    mods["permissions"] = str(int(mods["permissions"]) & ~MANAGE_GUILD)
    reply = await command(fake_discord, server, MANAGER, "pause")
    assert reply.startswith("Only the community's managers")


async def test_missing_thread_permission_at_scheduling_pauses_and_says_which(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await deny_bot_role(fake_discord, bot, server, 1 << 35)

    reply = await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")

    assert (
        "paused" in reply and f"Create Public Threads in #general (<#{server.channel.id}>)" in reply
    )
    [schedule] = await bot.schedules()
    assert schedule.paused


async def test_a_429_is_waited_out_and_the_slot_posts_once(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    fake_discord.inject("POST", "/channels/{channel_id}/messages", 429, retry_after=0.05)

    await bot.fire_next_slot()

    [post] = await bot.posts()
    assert post.status is PostStatus.SENT
    assert len(prompts_posted(fake_discord, server.channel.id)) == 1


async def test_after_a_gateway_drop_engagement_is_still_recorded(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await command(fake_discord, server, MANAGER, "here", time="09:00", tz="UTC")
    await bot.fire_next_slot()
    [post] = await bot.posts()
    assert post.message_id is not None

    await fake_discord.drop_connections()
    react(fake_discord, GUILD_A, post.message_id, MEMBER, "🍵")  # while disconnected
    await bot.wait_for_responses(post.id, [("reaction", "🍵")])
    react(fake_discord, GUILD_A, post.message_id, MANAGER, "☕")  # after the resume
    await bot.wait_for_responses(post.id, [("reaction", "☕"), ("reaction", "🍵")])

    [session] = fake_discord.sessions.values()
    assert session.resumes == 1
