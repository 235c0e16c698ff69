"""Library health through Discord: `/tigerbird suggest-edit` fixes a member's waiting
suggestion, `/tigerbird edit` is a manager's, and anonymous suggestions reach the review
channel without the suggester."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import slash
from tests.discord.test_discord_suggestions import answered, review_posts, suggest


@pytest.fixture
async def stack(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[Stack, Server]]:
    server = populate(fake_discord, GUILD_A, "A")
    clock = FrozenClock(datetime.now(UTC))
    running = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    yield running, server
    await running.stop()


def _prompt_id(fake: FakeDiscord, server: Server) -> int:
    [review] = review_posts(fake, server)
    approve_id = review["components"][0]["components"][0]["custom_id"]
    return int(approve_id.rsplit(":", 1)[1])


async def test_members_fix_their_own_suggestion_and_managers_edit_any(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    bot, server = stack
    await suggest(fake_discord, server, "Which smell takes you back to childhood?")
    prompt_id = _prompt_id(fake_discord, server)
    iid = slash(
        fake_discord, GUILD_A, server.channel.id, MEMBER, "suggest-edit",
        id=prompt_id, text="Which sound takes you back to childhood?",
    )  # fmt: skip
    assert "now reads: “Which sound takes you back to childhood?”" in await answered(
        fake_discord, iid
    )
    iid = slash(
        fake_discord, GUILD_A, server.channel.id, MEMBER, "edit",
        id=prompt_id, text="Sneaky other text?",
    )  # fmt: skip
    assert (await answered(fake_discord, iid)).startswith("Only the community's managers")
    iid = slash(
        fake_discord, GUILD_A, server.channel.id, MANAGER, "edit",
        id=prompt_id, text="Which taste takes you back?", category="food",
    )  # fmt: skip
    assert "[food]" in await answered(fake_discord, iid)
    async with bot.uow() as u:
        stored = await u.prompts.get(prompt_id)
    assert stored is not None and stored.text == "Which taste takes you back?"


async def test_anonymous_suggestions_do_not_name_the_member(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server]
) -> None:
    _, server = stack
    iid = slash(
        fake_discord, GUILD_A, server.channel.id, MANAGER, "settings",
        change="anonymous-suggestions on",
    )  # fmt: skip
    assert (await answered(fake_discord, iid)).startswith("anonymous-suggestions set to on")
    await suggest(fake_discord, server, "Which smell takes you back to childhood?")
    [review] = review_posts(fake_discord, server)
    fields = str(review["embeds"][0]["fields"])
    assert "a member (anonymous)" in fields and str(MEMBER) not in fields
