"""`/tigerbird stats` on Discord with the real core: the summary and a real chart attached."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from aiohttp import web
from PIL import Image

from bot.core.domain import PromptDraft
from bot.testing.platform import FrozenClock
from tests.discord import fake_discord_rest
from tests.discord.discord_stack import Stack, stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, Server, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import answer_text, react, say, slash, thread_channel


@pytest.fixture
def uploads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """Files the bot attaches to its requests (the fake itself keeps only the JSON part)."""
    seen: list[tuple[str, bytes]] = []
    read_body = fake_discord_rest._read_body

    async def keeping_files(request: web.Request) -> Any:
        if request.content_type != "multipart/form-data":
            return await read_body(request)
        form = await request.post()
        for value in form.values():
            if isinstance(value, web.FileField):
                seen.append((value.filename, value.file.read()))
        raw = form.get("payload_json")  # what the fake reads from a multipart body
        return json.loads(str(raw)) if raw is not None else {}

    monkeypatch.setattr(fake_discord_rest, "_read_body", keeping_files)
    return seen


@pytest.fixture
async def stack(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[Stack, Server]]:
    server = populate(fake_discord, GUILD_A, "A")
    # Discord stamps reactions with the real time: the frozen clock starts just before it.
    clock = FrozenClock(datetime.now(UTC) - timedelta(seconds=5))
    running = await start_stack(stack_settings(fake_discord, tmp_path / "bot.db"), clock)
    yield running, server
    await running.stop()


async def ask(fake: FakeDiscord, server: Server, sub: str, **options: str) -> str:
    iid = slash(fake, GUILD_A, server.channel.id, MANAGER, sub, **options)
    await fake.wait_until(lambda: answer_text(fake, iid) is not None)
    return answer_text(fake, iid) or ""


async def test_stats_answers_with_a_summary_and_a_real_chart(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server], uploads: list[tuple[str, bytes]]
) -> None:
    bot, server = stack
    await ask(fake_discord, server, "here", time="09:00", tz="UTC")
    [schedule] = await bot.schedules()
    post = await bot.core.service.post_now(schedule.id)
    assert post is not None and post.message_id is not None
    say(fake_discord, GUILD_A, server.channel.id, MANAGER, "morning")  # part of the audience
    react(fake_discord, GUILD_A, post.message_id, MEMBER, "🍵")
    say(fake_discord, GUILD_A, thread_channel(fake_discord, post.message_id).id, MEMBER, "tea")
    await bot.wait_for_responses(post.id, [("reaction", "🍵"), ("reply", "")])
    bot.clock.advance(timedelta(days=2))  # the post's 24-hour window has closed

    text = await ask(fake_discord, server, "stats", period="all")

    lines = text.splitlines()
    assert lines[0] == "*Stats here, all time:* 1 prompt posted · engagement 50.0% →"
    assert lines[2].startswith("1. Tea or coffee?")
    [(name, png)] = uploads
    assert name == "tigerbird.png"
    image = Image.open(io.BytesIO(png))
    assert image.size == (1200, 675)
    assert np.asarray(image.convert("L"), dtype=np.float64).var() > 100


async def test_stats_with_a_bad_period_names_the_allowed_ones(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server], uploads: list[tuple[str, bytes]]
) -> None:
    _, server = stack
    await ask(fake_discord, server, "here", time="09:00", tz="UTC")
    text = await ask(fake_discord, server, "stats", period="7d")
    assert text == "stats: '7d' is not a period; use one of 30d, 90d, all"
    assert uploads == []


async def test_wordings_and_promote_subcommands_reach_the_core(
    fake_discord: FakeDiscord, stack: tuple[Stack, Server], uploads: list[tuple[str, bytes]]
) -> None:
    bot, server = stack
    draft = PromptDraft(
        "custom/tea", "Which tea do you brew on a grey day?", "food",
        variants=("Grey day: which tea do you brew?",),
    )  # fmt: skip
    [prompt] = await bot.core.service.add_prompts([draft])
    iid = slash(fake_discord, GUILD_A, server.channel.id, MANAGER, "wordings", id=prompt.id)
    await fake_discord.wait_until(lambda: answer_text(fake_discord, iid) is not None)
    lines = (answer_text(fake_discord, iid) or "").splitlines()
    assert lines[0] == f"*Wordings of prompt #{prompt.id}, in this community:*"
    assert lines[2] == "B: “Grey day: which tea do you brew?” — 0× · no closed post yet"
    iid = slash(
        fake_discord, GUILD_A, server.channel.id, MANAGER, "promote", id=prompt.id, wording="B"
    )
    await fake_discord.wait_until(lambda: answer_text(fake_discord, iid) is not None)
    assert (answer_text(fake_discord, iid) or "").startswith(
        f"This community now posts wording B of prompt #{prompt.id}"
    )
