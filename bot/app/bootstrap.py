"""The composition root: builds storage, policy, platforms, services and the alarm from settings.

Nothing is built at import time; `run` is what `tigerbird run` calls.
"""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import signal
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any

import numpy as np
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.analytics.digest import digest_tick
from bot.app.alarm import Alarm
from bot.app.settings import Settings
from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName, ScheduleSpec
from bot.core.ports import Clock, NewSchedule, Platform, UnitOfWorkFactory, WorkerLiveness
from bot.delivery.deliverer import Deliverer, DeliveryConfig
from bot.delivery.pacing import PacedPlatform, Pacer, RequestCosts
from bot.engagement.members import load_member_keys
from bot.learning import PooledThompsonPolicy
from bot.learning.loop import LearningLoop
from bot.learning.selection import Policy
from bot.library import PromptsDirError, load_packs
from bot.library.packs import pack_files
from bot.service_layer.services import Tigerbird
from bot.storage.engine import make_engine, make_sessions, migrate_to_head
from bot.storage.liveness import PgLiveness
from bot.storage.sqlite_file import DatabaseUnavailable, FileWatch, file_watch
from bot.storage.uow import SqlUnitOfWorkFactory

log = logging.getLogger("tigerbird")
# Requests one worker may send at once beyond its steady rate (a post costs 4 to 6): small, so
# that several workers' bursts together stay well inside Discord's 50.
DISCORD_BURST = 5.0
FILE_CHECK_SECONDS = 1.0
GENERATED_KEY_WARNING = (
    "TIGERBIRD_MEMBER_KEY is not set: members are pseudonymised with a key generated and kept "
    "in the database, so anyone with a dump of the database can re-identify them; keep the key "
    "outside the database by setting TIGERBIRD_MEMBER_KEY (see docs/analytics.md, Privacy)"
)
# What a database that cannot be reached or opened raises (asyncpg's own errors, such as a
# refused password, are not wrapped by SQLAlchemy when connecting).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (OSError, SQLAlchemyError)


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
    liveness: WorkerLiveness | None = None,
) -> Core:
    """Everything but the adapters; adapters register their Platform in `core.platforms`."""
    clock = clock or SystemClock()
    policy = policy or PooledThompsonPolicy(np.random.default_rng())
    platforms: dict[PlatformName, Platform] = {}
    key = settings.tigerbird_member_key
    members = await load_member_keys(uow, key.get_secret_value() if key else None)
    config = config or DeliveryConfig(holdout=settings.tigerbird_holdout)
    deliverer = Deliverer(uow, platforms, policy, clock, config, liveness)
    service = Tigerbird(uow, platforms, policy, clock, members, deliverer)
    commands = ChatCommands(service, settings.tigerbird_timezone, settings.manager_ids)
    return Core(service, commands, LearningLoop(uow, policy, clock), platforms)


class StartupError(Exception):
    """A part that could not start; its text is one line, `part: reason` (e.g. `database: …`,
    `slack: …`, `http: port 3000 is in use …`)."""

    def __init__(self, part: str, reason: str) -> None:
        super().__init__(f"{part}: {reason}")
        self.part = part


def failure_reason(error: BaseException) -> str:
    """The cause of a failed connection in a few words, without the library's noise."""
    text = str(error).strip()
    if isinstance(error, ConnectionRefusedError) or "Connect call failed" in text:
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "host not found"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:]
    original = getattr(error, "orig", None)  # SQLAlchemy's wrapper around the driver's error
    if original is not None:
        return failure_reason(original)
    return text.splitlines()[0] if text else type(error).__name__


def database_error(url: str, error: BaseException) -> StartupError:
    """`database: cannot reach URL (reason)`, the URL's password hidden."""
    shown = make_url(url).render_as_string(hide_password=True)
    return StartupError("database", f"cannot reach {shown} ({failure_reason(error)})")


async def open_database(settings: Settings) -> tuple[AsyncEngine, SqlUnitOfWorkFactory]:
    """Migrate to the latest schema (if not there yet), then hand out units of work."""
    engine = make_engine(settings.database_url)
    try:
        await migrate_to_head(settings.database_url, engine)
    except DATABASE_ERRORS as error:
        await engine.dispose()
        raise database_error(settings.database_url, error) from error
    return engine, SqlUnitOfWorkFactory(make_sessions(engine))


async def sync_packs(core: Core, settings: Settings) -> str:
    """Sync the built-in library with the packs; a missing or empty folder or a bad pack
    raises (PromptsDirError, PackLoadError) before anything is stored or retired."""
    directory = settings.tigerbird_prompts_dir
    if not directory.exists():
        raise PromptsDirError(f"TIGERBIRD_PROMPTS_DIR: {directory} does not exist")
    if not directory.is_dir():
        raise PromptsDirError(f"TIGERBIRD_PROMPTS_DIR: {directory} is a file, not a folder")
    if not pack_files(directory):
        raise PromptsDirError(f"TIGERBIRD_PROMPTS_DIR: {directory} holds no .yaml or .yml pack")
    packs = load_packs(directory)
    report = await core.service.sync_library([d for p in packs for d in p.drafts])
    summary = (
        f"prompt library: {len(packs)} packs, {report.added} new, {report.updated} updated, "
        f"{report.retired} retired"
    )
    log.info(summary)
    return summary


def build_adapters(core: Core, settings: Settings, engine: AsyncEngine | None = None) -> list[Any]:
    """The enabled chat adapters; the console when no Slack or Discord token is set. Slack
    keeps its OAuth installations and replay guard on `engine` (the core's: one pool, and on
    SQLite one writer)."""
    adapters: list[Any] = []
    if settings.slack_enabled:
        from adapters.slack import build as build_slack

        adapters.append(build_slack(settings, core.service, core.commands, engine=engine))
    if settings.discord_enabled:
        from adapters.discord import build as build_discord

        adapters.append(build_discord(settings, core.service, core.commands))
    if not adapters:
        from adapters.console import build as build_console

        adapters.append(build_console(core.service, core.commands))
    for adapter in adapters:
        core.platforms[adapter.platform.name] = paced(adapter.platform, settings)
    return adapters


async def start_adapter(adapter: Any, settings: Settings) -> None:
    """Connect one chat adapter; a failure names the platform (or the HTTP port), not the
    database."""
    try:
        await adapter.start()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            http_port = settings.tigerbird_http_port
            raise StartupError(
                "http", f"port {http_port} is in use (set TIGERBIRD_HTTP_PORT to a free port)"
            ) from error
        host, port = getattr(error, "host", None), getattr(error, "port", None)
        where = f" to {host}:{port}" if host else ""
        reason = f"cannot connect{where} ({failure_reason(error)})"
        raise StartupError(adapter.platform.name.value, reason) from error
    except Exception as error:  # the platform's own refusal (bad token, gateway closed)
        log.debug("%s failed to start", adapter.platform.name.value, exc_info=True)
        raise StartupError(adapter.platform.name.value, failure_reason(error)) from error


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
    sqlite = settings.database_url.startswith("sqlite")
    # PostgreSQL: this worker's advisory lock tells the others when it dies
    # (bot/delivery/recovery.py).
    liveness = None if sqlite else await PgLiveness(engine).start()
    core = await build_core(uow, settings, liveness=liveness)
    if core.service.members.stored_in_database:
        log.warning(GENERATED_KEY_WARNING)
    await sync_packs(core, settings)
    learned = await core.learning.sync()  # replay every recorded outcome into the policy
    log.info("learning: replayed %d outcome(s)", learned)
    adapters = build_adapters(core, settings, engine)
    if PlatformName.CONSOLE in core.platforms:
        print("No Slack or Discord token set: running the local console channel.", flush=True)
        schedule_id = await ensure_console_schedule(core, settings)
        adapters[0].on_end_of_input = stop.set  # stdin closed: stop once started
    for adapter in adapters:
        await start_adapter(adapter, settings)
    # A single SQLite process owns every claim; with PostgreSQL, dead workers' claims are
    # taken over at once and live ones' wait for their lease.
    await core.service.recover(lease=timedelta(0) if sqlite else None)
    alarm = Alarm(core.service, periodic=[core.learning.tick, partial(digest_tick, core.service)])
    alarm.start()
    await alarm.arm()
    # Reactions sent while the bot was away are not replayed by the platforms: read them back
    # (one paced read per open post) once the alarm is armed, so the reads never hold back a slot.
    caught_up = await core.service.catch_up_reactions()
    if caught_up:
        log.info("caught up with %d reaction change(s) made while the bot was away", caught_up)
    replies = await core.service.catch_up_replies()
    if replies:
        log.info("caught up with %d reply(ies) written while the bot was away", replies)
    if post_now and PlatformName.CONSOLE in core.platforms:
        await core.service.post_now(schedule_id)
    elif PlatformName.CONSOLE in core.platforms:
        print(await adapters[0].next_prompt(), flush=True)
    print("Tigerbird is running. Ctrl-C to stop.", flush=True)
    lost: list[DatabaseUnavailable] = []
    database_file = file_watch(engine.sync_engine)
    watcher = asyncio.create_task(_watch_file(database_file, stop, lost)) if database_file else None
    # What start-up built (policy, caches) lives as long as the process: a full collection
    # walking it all paused event handling for ~60 ms (docs/performance.md, section 2).
    gc.collect()
    gc.freeze()
    try:
        await stop.wait()
    finally:
        if watcher:
            watcher.cancel()
        alarm.stop()
        for adapter in adapters:
            await adapter.stop()
        if not lost:
            await core.service.close()  # record the events still queued
        if liveness is not None:
            await liveness.close()
        await engine.dispose()
        gc.unfreeze()
        print("Tigerbird stopped.", flush=True)
    if lost:
        raise lost[0]


async def _watch_file(
    file: FileWatch, stop: asyncio.Event, lost: list[DatabaseUnavailable]
) -> None:
    """Stop the bot when its SQLite file is deleted or replaced (checkouts already fail then)."""
    while not stop.is_set():
        try:
            file.check()
        except DatabaseUnavailable as error:
            log.error("%s", error)
            lost.append(error)
            stop.set()
            return
        await asyncio.sleep(FILE_CHECK_SECONDS)
