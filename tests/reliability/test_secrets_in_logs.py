"""A whole run at DEBUG (every library logger too): no token, secret or key is ever logged."""

from __future__ import annotations

import asyncio
from pathlib import Path

from slack_requests import event_callback, reaction_event, slash_command

from bot.core.domain import PlatformName
from tests.reliability.bot_process import start_bot
from tests.reliability.integrity import database_problems
from tests.reliability.world import (
    SLACK_MANAGER,
    SLACK_SIGNING_SECRET,
    SLACK_TEAM,
    World,
    seed,
    sqlite_url,
    start_fakes,
)


async def test_debug_logs_of_a_whole_run_carry_no_secret(tmp_path: Path) -> None:
    slack, discord, slack_channels, discord_channels = await start_fakes(5)
    world = World(slack, discord, sqlite_url(tmp_path))
    try:
        channels = {PlatformName.SLACK: slack_channels, PlatformName.DISCORD: discord_channels}
        await seed(world, channels, late_every=0)
        env = world.env(TIGERBIRD_LOG_LEVEL="DEBUG", SLACK_SIGNING_SECRET=SLACK_SIGNING_SECRET)
        bot = await start_bot(env, tmp_path)
        async with asyncio.timeout(60):
            # polling: the child process posts asynchronously
            while world.total_prompts() < 10 or await database_problems(world.database_url):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        [prompt] = world.slack_prompts(slack_channels[0])
        bot_user = slack.team(SLACK_TEAM).bot_user_id
        event = reaction_event("reaction_added", "UMEMBER", slack_channels[0], prompt["ts"], "+1")
        await slack.socket_send("events_api", event_callback(SLACK_TEAM, event, bot_user))
        url = f"{slack.base_url}/response/secrets"
        await slack.socket_send(
            "slash_commands",
            slash_command(SLACK_TEAM, slack_channels[0], SLACK_MANAGER, "list", url),
        )
        await discord.drop_connections()
        await asyncio.sleep(1.0)
        assert await bot.stop() == 0
    finally:
        await slack.stop()
        await discord.stop()
    logged = bot.text
    debug_loggers = {line.split(" ")[3] for line in logged.splitlines() if " DEBUG " in line}
    for library in ("slack_sdk.web", "slack_bolt", "discord.http", "discord.gateway", "aiosqlite"):
        assert any(name.startswith(library) for name in debug_loggers), library
    assert len(logged) > 10_000, "a DEBUG run logs a lot; too little means logging was off"
    leaked = [s for s in world.secrets() if s in logged]
    assert leaked == [], f"{len(leaked)} secret(s) in the logs"
