"""The real discord.py client over the fake gateway, with hand-written fakes of the core."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from adapters.discord import DiscordAdapter, bridge, build
from bot.app.settings import Settings
from bot.core.domain import (
    Community,
    EngagementEvent,
    MemberSeen,
    PlatformName,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)
from bot.core.invocations import Invocation, Reply
from bot.core.ports import PromptMessage
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, OTHER_BOT, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import (
    answer_text,
    react,
    say,
    slash,
    thread_channel,
    unreact,
)
from tests.discord.fake_discord_state import BOT_TOKEN


@dataclass
class RecordingCore:
    """Stands in for Tigerbird + ChatCommands: records what the adapter hands over."""

    events: list[EngagementEvent] = field(default_factory=list)
    invocations: list[tuple[Invocation, str]] = field(default_factory=list)
    command_seconds: float = 0.0

    async def handle_event(self, event: EngagementEvent) -> None:
        self.events.append(event)

    async def remove_bot(self, platform: PlatformName, community: str, member_id: str) -> int:
        return 0

    async def community(self, platform: PlatformName, external_id: str) -> Community | None:
        return None

    async def run(self, inv: Invocation, text: str) -> Reply:
        self.invocations.append((inv, text))
        await asyncio.sleep(self.command_seconds)
        chart = b"\x89PNG fake" if text.startswith("stats") else None
        return Reply(f"ran {text} @everyone", chart_png=chart)

    async def approve(self, inv: Invocation, prompt_id: int) -> Reply:
        return Reply("approved")

    async def reject(self, inv: Invocation, prompt_id: int, reason: str) -> Reply:
        return Reply("rejected")


def discord_settings(fake: FakeDiscord, **extra: Any) -> Settings:
    return Settings(
        DISCORD_TOKEN=BOT_TOKEN,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        **extra,
    )


@pytest.fixture
async def running(
    fake_discord: FakeDiscord,
) -> AsyncIterator[tuple[DiscordAdapter, RecordingCore, Server]]:
    server = populate(fake_discord, GUILD_A, "A")
    core = RecordingCore()
    adapter = build(discord_settings(fake_discord), core, core, guild_ready_timeout=0.05)
    await adapter.start()
    yield adapter, core, server
    await adapter.stop()


async def test_connects_with_only_unprivileged_intents_and_syncs_commands_once(
    fake_discord: FakeDiscord,
    running: tuple[DiscordAdapter, RecordingCore, Server],
) -> None:
    [session] = fake_discord.sessions.values()
    assert session.intents == (1 << 0) | (1 << 9) | (1 << 10)
    assert fake_discord.world.command_syncs == 1
    [group] = fake_discord.world.commands
    assert group["name"] == "tigerbird" and group["default_member_permissions"] == 1 << 5
    assert group["contexts"] == [0]
    names = {o["name"] for o in group["options"]}
    assert names == {
        "here",
        "now",
        "skip",
        "pause",
        "resume",
        "preview",
        "add",
        "suggest",
        "suggest-edit",
        "edit",
        "stats",
        "besttime",
        "settings",
        "help",
        "pending",
        "approve",
        "reject",
        "wordings",
        "promote",
        "me",
    }


async def test_reactions_and_replies_become_neutral_events_bots_ignored(
    fake_discord: FakeDiscord,
    running: tuple[DiscordAdapter, RecordingCore, Server],
) -> None:
    adapter, core, server = running
    message = PromptMessage("Tea or coffee?", "food", "m-1")
    target = await adapter.platform.post(str(GUILD_A), str(server.channel.id), message)
    thread = thread_channel(fake_discord, target.message_id)

    react(fake_discord, GUILD_A, target.message_id, MEMBER, "🍵")
    react(fake_discord, GUILD_A, target.message_id, OTHER_BOT, "🍵")
    unreact(fake_discord, GUILD_A, target.message_id, MEMBER, "🍵")
    say(fake_discord, GUILD_A, thread.id, MEMBER)
    say(fake_discord, GUILD_A, server.channel.id, MEMBER, reply_to=target.message_id)
    say(fake_discord, GUILD_A, server.channel.id, OTHER_BOT)
    say(fake_discord, GUILD_A, server.channel.id, MEMBER, "last")
    await fake_discord.wait_until(lambda: len(core.events) >= 7)

    kinds = [(type(e).__name__, getattr(e, "member_id", "")) for e in core.events]
    assert kinds == [
        ("ReactionAdded", str(MEMBER)),
        ("ReactionRemoved", str(MEMBER)),
        ("MemberSeen", str(MEMBER)),
        ("ReplyPosted", str(MEMBER)),
        ("MemberSeen", str(MEMBER)),
        ("ReplyPosted", str(MEMBER)),
        ("MemberSeen", str(MEMBER)),
    ]
    added, removed, _, in_thread, _, replied, _ = core.events
    assert isinstance(added, ReactionAdded) and added.message_id == target.message_id
    assert isinstance(removed, ReactionRemoved) and removed.emoji == "🍵"
    assert isinstance(in_thread, ReplyPosted) and in_thread.parent_id == target.message_id
    assert in_thread.channel == str(server.channel.id)
    assert isinstance(replied, ReplyPosted) and replied.parent_id == target.message_id
    assert all(e.channel == str(server.channel.id) for e in core.events)


async def test_gateway_drop_resumes_and_later_events_arrive(
    fake_discord: FakeDiscord,
    running: tuple[DiscordAdapter, RecordingCore, Server],
) -> None:
    _, core, server = running
    await fake_discord.drop_connections()
    say(fake_discord, GUILD_A, server.channel.id, MEMBER, "while away")
    [session] = fake_discord.sessions.values()
    await fake_discord.wait_until(lambda: session.resumes == 1)
    say(fake_discord, GUILD_A, server.channel.id, MEMBER, "after")
    await fake_discord.wait_until(lambda: len(core.events) >= 2)

    assert [type(e) for e in core.events] == [MemberSeen, MemberSeen]
    assert len(fake_discord.sessions) == 1  # resumed, not re-identified
    assert fake_discord.world.command_syncs == 1


async def test_command_is_translated_and_answered_without_mentions(
    fake_discord: FakeDiscord,
    running: tuple[DiscordAdapter, RecordingCore, Server],
) -> None:
    _, core, server = running
    iid = slash(
        fake_discord, GUILD_A, server.channel.id, MEMBER, "here", time="09:00", tz="Europe/Paris"
    )
    await fake_discord.wait_until(lambda: answer_text(fake_discord, iid) is not None)

    [(inv, text)] = core.invocations
    assert text == "here 09:00 Europe/Paris"
    assert inv.member_id == str(MEMBER) and not inv.member_is_admin
    assert inv.community == str(GUILD_A) and inv.channel == str(server.channel.id)
    callback = fake_discord.world.callbacks[0]
    assert callback["data"]["allowed_mentions"] == {"parse": []}
    assert callback["data"]["flags"] == 64


async def test_a_slow_command_is_deferred_then_answered_by_follow_up(
    fake_discord: FakeDiscord,
    running: tuple[DiscordAdapter, RecordingCore, Server],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, core, server = running
    core.command_seconds = 0.05
    monkeypatch.setattr(bridge, "ANSWER_DIRECTLY_WITHIN", 0.01)
    iid = slash(fake_discord, GUILD_A, server.channel.id, MEMBER, "now")
    await fake_discord.wait_until(lambda: answer_text(fake_discord, iid) is not None)

    assert fake_discord.world.callbacks[0]["type"] == 5  # deferred, "thinking…"
    assert answer_text(fake_discord, iid) == "ran now @everyone"
    assert fake_discord.world.followups[-1]["_allowed_mentions"] == {"parse": []}


async def test_without_a_gateway_url_it_connects_where_gateway_bot_says(
    fake_discord: FakeDiscord,
) -> None:
    populate(fake_discord, GUILD_A, "A")
    core = RecordingCore()
    settings = Settings(DISCORD_TOKEN=BOT_TOKEN, DISCORD_API_URL=fake_discord.api_url)
    adapter = build(settings, core, core, guild_ready_timeout=0.05)
    await adapter.start()
    try:
        assert len(fake_discord.rest.calls("GET", "/gateway/bot")) == 1
        assert len(fake_discord.sessions) == 1
    finally:
        await adapter.stop()


async def test_a_chart_is_uploaded_with_the_answer(
    fake_discord: FakeDiscord,
    running: tuple[DiscordAdapter, RecordingCore, Server],
) -> None:
    _, _, server = running
    iid = slash(fake_discord, GUILD_A, server.channel.id, MANAGER, "stats", period="30d")
    await fake_discord.wait_until(lambda: answer_text(fake_discord, iid) is not None)

    [callback] = fake_discord.world.callbacks
    assert [a["filename"] for a in callback["data"]["attachments"]] == ["tigerbird.png"]
