"""The composition root: builds storage, policy, platforms, services and the alarm from settings.

Nothing is built at import time; `run` is what `tigerbird run` calls.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.analytics.digest import digest_tick
from bot.commands import ChatCommands
from bot.delivery import Deliverer, DeliveryConfig
from bot.domain import PlatformName, ScheduleSpec
from bot.learning import PooledThompsonPolicy
from bot.learning_loop import LearningLoop
from bot.library import load_packs
from bot.members import load_member_keys
from bot.pacing import PacedPlatform, Pacer, RequestCosts
from bot.ports import Clock, NewSchedule, Platform, UnitOfWorkFactory
from bot.scheduler import Alarm
from bot.selection import Policy
from bot.services import Tigerbird
from bot.settings import Settings
from bot.storage.engine import make_engine, make_sessions, migrate_to_head
from bot.storage.uow import SqlUnitOfWorkFactory

log = logging.getLogger("tigerbird")
# Requests one worker may send at once beyond its steady rate (a post costs 4 to 6): small, so
# that several workers' bursts together stay well inside Discord's 50.
DISCORD_BURST = 5.0


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Core:
    service: Tigerbird
    commands: ChatCommands
    learning: LearningLoop
    platforms: dict[PlatformName, Platform] = field(default_factory=dict)


async def build_core(
    uow: UnitOfWorkFactory,
    settings: Settings,
    clock: Clock | None = None,
    policy: Policy | None = None,
    config: DeliveryConfig | None = None,
) -> Core:
    """Everything but the adapters; adapters register their Platform in `core.platforms`."""
    clock = clock or SystemClock()
    policy = policy or PooledThompsonPolicy(np.random.default_rng())
    platforms: dict[PlatformName, Platform] = {}
    key = settings.tigerbird_member_key
    members = await load_member_keys(uow, key.get_secret_value() if key else None)
    deliverer = Deliverer(uow, platforms, policy, clock, config or DeliveryConfig())
    service = Tigerbird(uow, platforms, policy, clock, members, deliverer)
    commands = ChatCommands(service, settings.tigerbird_timezone, settings.manager_ids)
    return Core(service, commands, LearningLoop(uow, policy, clock), platforms)


async def open_database(settings: Settings) -> tuple[AsyncEngine, SqlUnitOfWorkFactory]:
    """Migrate to the latest schema (if not there yet), then hand out units of work."""
    engine = make_engine(settings.database_url)
    await migrate_to_head(settings.database_url, engine)
    return engine, SqlUnitOfWorkFactory(make_sessions(engine))


async def sync_packs(core: Core, settings: Settings) -> None:
    packs = load_packs(settings.tigerbird_prompts_dir)
    report = await core.service.sync_library([d for p in packs for d in p.drafts])
    log.info(
        "prompt library: %d packs, %d new, %d updated, %d retired",
        len(packs),
        report.added,
        report.updated,
        report.retired,
    )


def build_adapters(core: Core, settings: Settings) -> list[Any]:
    """The enabled chat adapters; the console when no Slack or Discord token is set."""
    adapters: list[Any] = []
    if settings.slack_enabled:
        from adapters.slack import build as build_slack

        adapters.append(build_slack(settings, core.service, core.commands))
    if settings.discord_enabled:
        from adapters.discord import build as build_discord

        adapters.append(build_discord(settings, core.service, core.commands))
    if not adapters:
        from adapters.console import build as build_console

        adapters.append(build_console(core.service, core.commands))
    for adapter in adapters:
        core.platforms[adapter.platform.name] = paced(adapter.platform, settings)
    return adapters


def paced(platform: Platform, settings: Settings) -> Platform:
    """Discord: the core's calls wait for their requests' share of the bot's global limit
    (DISCORD_REQUESTS_PER_SECOND) instead of meeting it as 429s. Only what the core sends
    through the Platform is paced: interaction responses (not counted by Discord's global
    limit), the adapter's own DMs and review posts, and the gateway are not."""
    if platform.name is not PlatformName.DISCORD:
        return platform
    pacer = Pacer(settings.discord_request_rate, burst=DISCORD_BURST)
    return PacedPlatform(platform, pacer, RequestCosts())


async def ensure_console_schedule(core: Core, settings: Settings) -> int:
    """The console channel gets a daily 09:00 schedule the first time."""
    existing = await core.service.schedules_in_channel(PlatformName.CONSOLE, "local", "console")
    if existing:
        return existing[0].id
    spec = ScheduleSpec(times=(time(9, 0),), timezone=settings.tigerbird_timezone)
    schedule, _ = await core.service.add_schedule(
        PlatformName.CONSOLE, "local", NewSchedule(0, "console", spec), "Console"
    )
    return schedule.id


async def run(
    settings: Settings, post_now: bool = False, stop: asyncio.Event | None = None
) -> None:
    """Run until SIGINT/SIGTERM (or `stop` is set), then shut down cleanly."""
    # Modules, classes and functions live as long as the process: keep them out of the cyclic
    # collector's full passes (about 0.15 s less start-up with a 100,000-outcome replay).
    gc.freeze()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    engine, uow = await open_database(settings)
    core = await build_core(uow, settings)
    await sync_packs(core, settings)
    learned = await core.learning.sync()  # replay every recorded outcome into the policy
    log.info("learning: replayed %d outcome(s)", learned)
    adapters = build_adapters(core, settings)
    if PlatformName.CONSOLE in core.platforms:
        print("No Slack or Discord token set: running the local console channel.", flush=True)
        schedule_id = await ensure_console_schedule(core, settings)
        adapters[0].on_end_of_input = stop.set  # stdin closed: stop once started
    for adapter in adapters:
        await adapter.start()
    # A single SQLite process owns every claim; with PostgreSQL, wait for other workers' leases.
    sqlite = settings.database_url.startswith("sqlite")
    await core.service.recover(lease=timedelta(0) if sqlite else None)
    alarm = Alarm(core.service, periodic=[core.learning.tick, partial(digest_tick, core.service)])
    alarm.start()
    await alarm.arm()
    # Reactions sent while the bot was away are not replayed by the platforms: read them back
    # (one paced read per open post) once the alarm is armed, so the reads never hold back a slot.
    caught_up = await core.service.catch_up_reactions()
    if caught_up:
        log.info("caught up with %d reaction change(s) made while the bot was away", caught_up)
    if post_now and PlatformName.CONSOLE in core.platforms:
        await core.service.post_now(schedule_id)
    print("Tigerbird is running. Ctrl-C to stop.", flush=True)
    # What start-up built (policy, caches) lives as long as the process: a full collection
    # walking it all paused event handling for ~60 ms (docs/performance.md, section 2).
    gc.collect()
    gc.freeze()
    try:
        await stop.wait()
    finally:
        alarm.stop()
        for adapter in adapters:
            await adapter.stop()
        await core.service.close()  # record the events still queued
        await engine.dispose()
        gc.unfreeze()
        print("Tigerbird stopped.", flush=True)
