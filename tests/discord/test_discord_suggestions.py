"""Suggest (modal) → review post with persistent Approve/Reject buttons → reason DM'd."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.domain import PromptStatus
from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import answer_text, callback_for, click, slash, submit_modal


@pytest.fixture
async def stack(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[Stack, Server]]:
    server = populate(fake_discord, GUILD_A, "A")
    clock = FrozenClock(datetime.now(UTC))
    running = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    yield running, server
    await running.stop()


async def open_modal(fake: FakeDiscord, iid: str) -> dict[str, Any]:
    await fake.wait_until(lambda: callback_for(fake, iid) is not None)
    callback = callback_for(fake, iid)
    assert callback is not None and callback["type"] == 9, callback
    return dict(callback["data"])


async def answered(fake: FakeDiscord, iid: str) -> str:
    await fake.wait_until(lambda: answer_text(fake, iid) is not None)
    return answer_text(fake, iid) or ""


def review_posts(fake: FakeDiscord, server: Server) -> list[dict[str, Any]]:
    messages = fake.world.channel_messages(server.channel.id)
    return [m for m in messages if m["components"]]


async def suggest(fake: FakeDiscord, server: Server, text: str) -> str:
    modal = await open_modal(fake, slash(fake, GUILD_A, server.channel.id, MEMBER, "suggest"))
    iid = submit_modal(fake, GUILD_A, server.channel.id, MEMBER, modal, [text, "food"])
    reply = await answered(fake, iid)
    if reply.startswith("Thanks!"):  # the review is posted right after the answer
        await fake.wait_until(lambda: len(review_posts(fake, server)) > 0)
    return reply


async def test_suggestion_with_mentions_is_refused_in_a_reply_that_cannot_ping(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    _, server = stack
    reply = await suggest(fake_discord, server, "Which smell takes you back? @everyone <@&42>")

    assert reply.startswith("That prompt can't be used: contains a mention")
    assert fake_discord.world.callbacks[-1]["data"]["allowed_mentions"] == {"parse": []}
    assert review_posts(fake_discord, server) == []


async def test_suggestion_goes_to_review_without_pinging_anyone_and_reject_tells_why(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    reply = await suggest(fake_discord, server, "Which smell takes you back to childhood?")
    assert reply.startswith("Thanks!")

    [review] = review_posts(fake_discord, server)
    assert review["_allowed_mentions"] == {"parse": []}
    assert f"<@{MEMBER}>" in str(review["embeds"][0]["fields"])  # shown, never pinged
    buttons = [c["custom_id"] for row in review["components"] for c in row["components"]]
    approve_id, reject_id = buttons
    assert approve_id.startswith("tigerbird:approve:") and reject_id.startswith("tigerbird:reject:")

    modal = await open_modal(fake_discord, click(fake_discord, GUILD_A, review, MANAGER, reject_id))
    iid = submit_modal(fake_discord, GUILD_A, server.channel.id, MANAGER, modal, ["too close"])
    assert (await answered(fake_discord, iid)).startswith("Rejected")

    prompt_id = int(reject_id.rsplit(":", 1)[1])
    async with bot.uow() as u:
        stored = await u.prompts.get(prompt_id)
    assert stored is not None and stored.status is PromptStatus.REJECTED
    # The DM goes out after the answer, each of its requests paced under the global limit.
    await fake_discord.wait_until(
        lambda: any("not taken" in m["content"] for _, m in fake_discord.world.dms)
    )
    [(to, dm)] = [(u, m) for u, m in fake_discord.world.dms if "not taken" in m["content"]]
    assert to == MEMBER and "too close" in dm["content"]
    assert dm["_allowed_mentions"] == {"parse": []}


async def test_a_member_cannot_approve_and_a_manager_can_after_a_restart(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server], tmp_path: Path
) -> None:
    bot, server = stack
    await suggest(fake_discord, server, "What did you fix this week?")
    [review] = review_posts(fake_discord, server)
    approve_id = review["components"][0]["components"][0]["custom_id"]

    refused = await answered(fake_discord, click(fake_discord, GUILD_A, review, MEMBER, approve_id))
    assert refused.startswith("Only the community's managers")

    await bot.stop()  # a new process: the buttons must still work
    clock = FrozenClock(datetime.now(UTC))
    bot = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    try:
        iid = click(fake_discord, GUILD_A, review, MANAGER, approve_id)
        assert (await answered(fake_discord, iid)).startswith("Approved")
    finally:
        await bot.stop()
