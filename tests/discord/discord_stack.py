"""The whole bot (core, SQLite, Discord adapter) wired to the fake Discord."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.discord import DiscordAdapter, build
from bot.app.bootstrap import Core, build_core, open_database
from bot.app.settings import Settings
from bot.core.domain import Choice, PlatformName, Post, PromptDraft, PromptSource, Schedule
from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_state import BOT_TOKEN

TEA = PromptDraft(
    key="test/tea",
    text="Tea or coffee? @everyone <@&42>",
    category="food",
    choices=(Choice("🍵", "tea"), Choice("☕", "coffee")),
)


@dataclass
class Stack:
    """One bot process: its database, core, clock and Discord adapter."""

    core: Core
    adapter: DiscordAdapter
    uow: UnitOfWorkFactory
    engine: AsyncEngine
    clock: FrozenClock

    async def posts(self) -> list[Post]:
        async with self.uow() as u:
            return await u.posts.all()

    async def schedules(self) -> list[Schedule]:
        async with self.uow() as u:
            return await u.schedules.all()

    async def responses(self, post_id: int) -> list[tuple[str, str]]:
        async with self.uow() as u:
            return [
                (kind.value, emoji) for _, kind, emoji, _ in await u.responses.for_post(post_id)
            ]

    async def wait_for_responses(self, post_id: int, expected: list[tuple[str, str]]) -> None:
        """Wait until the stored responses are exactly `expected` (sorted); fails on timeout."""
        async with asyncio.timeout(10):
            # polling the database: the events arrive asynchronously over the gateway
            while sorted(await self.responses(post_id)) != expected:  # noqa: ASYNC110
                await asyncio.sleep(0.02)

    async def fire_next_slot(self) -> int:
        """Move the clock just past the earliest due slot and let the core post it."""
        slot = await self.core.service.earliest_next_slot()
        assert isinstance(slot, datetime), "no schedule is due"
        self.clock.set(slot + timedelta(seconds=1))
        return await self.core.service.post_due()

    async def stop(self) -> None:
        await self.adapter.stop()
        await self.engine.dispose()


def stack_settings(fake: FakeDiscord, db: Path, **extra: Any) -> Settings:
    return Settings(
        DATABASE_URL=f"sqlite+aiosqlite:///{db}",
        DISCORD_TOKEN=BOT_TOKEN,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        TIGERBIRD_MEMBER_KEY="test-member-key",
        **extra,
    )


async def start_stack(settings: Settings, clock: FrozenClock) -> Stack:
    engine, uow = await open_database(settings)
    core = await build_core(uow, settings, clock=clock)
    await core.service.add_prompts([TEA], PromptSource.BUILTIN)
    adapter = build(settings, core.service, core.commands, guild_ready_timeout=0.05)
    core.platforms[PlatformName.DISCORD] = adapter.platform
    await adapter.start()
    return Stack(core, adapter, uow, engine, clock)
