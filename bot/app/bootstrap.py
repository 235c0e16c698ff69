"""The composition root: builds storage, policy, platforms, services and the alarm from settings.

Nothing is built at import time; `run` is what `tigerbird run` calls. The parts live beside it:
bot.app.core (the core), bot.app.chat_adapters (the adapters), bot.app.startup_errors.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from datetime import time, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.console import ConsoleAdapter
from bot.analytics.digest import digest_tick
from bot.app.alarm import Alarm
from bot.app.chat_adapters import build_adapters, start_adapter
from bot.app.core import Core, build_core
from bot.app.settings import Settings
from bot.app.startup_errors import DATABASE_ERRORS, StartupError, database_error
from bot.core.domain import PlatformName, ScheduleSpec
from bot.core.ports import NewSchedule
from bot.library import PromptsDirError, load_packs
from bot.library.packs import pack_files
from bot.storage.engine import make_engine, make_sessions, migrate_to_head
from bot.storage.liveness import PgLiveness
from bot.storage.sqlite_file import DatabaseUnavailable, FileWatch, file_watch
from bot.storage.uow import SqlUnitOfWorkFactory

__all__ = [  # what the CLI and the tests reach through this module, where it used to live
    "DATABASE_ERRORS",
    "Core",
    "StartupError",
    "build_adapters",
    "build_core",
    "database_error",
    "ensure_console_schedule",
    "open_database",
    "run",
    "start_adapter",
    "sync_packs",
]

log = logging.getLogger("tigerbird")
FILE_CHECK_SECONDS = 1.0
GENERATED_KEY_WARNING = (
    "TIGERBIRD_MEMBER_KEY is not set: members are pseudonymised with a key generated and kept "
    "in the database, so anyone with a dump of the database can re-identify them; keep the key "
    "outside the database by setting TIGERBIRD_MEMBER_KEY (see docs/analytics.md, Privacy)"
)


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
    if core.service.member_key_in_database():
        log.warning(GENERATED_KEY_WARNING)
    await sync_packs(core, settings)
    learned = await core.learning.sync()  # replay every recorded outcome into the policy
    log.info("learning: replayed %d outcome(s)", learned)
    adapters = build_adapters(core, settings, engine)
    console = next((a for a in adapters if isinstance(a, ConsoleAdapter)), None)
    if console is not None:
        print("No Slack or Discord token set: running the local console channel.", flush=True)
        schedule_id = await ensure_console_schedule(core, settings)
        console.on_end_of_input = stop.set  # stdin closed: stop once started
    for adapter in adapters:
        await start_adapter(adapter, settings)
    from bot.app.web import build_http, console_link, start_http  # the dashboard: `run` only

    http, dashboard = await build_http(core.service, core.uow, settings, adapters)
    await start_http(http, settings)
    if settings.tigerbird_public_url is None:
        dashboard.config.public_url = f"http://localhost:{http.bound_port}"
    log.info("dashboard and HTTP endpoints on port %s", http.bound_port)
    # A single SQLite process owns every claim; with PostgreSQL, dead workers' claims are
    # taken over at once and live ones' wait for their lease.
    await core.service.recover(lease=timedelta(0) if sqlite else None)
    digests = partial(digest_tick, core.service)
    alarm = Alarm(core.service, periodic=[core.learning.tick, digests], clock=core.clock)
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
    if console is not None and post_now:
        await core.service.post_now(schedule_id)
    elif console is not None:
        print(await console.next_prompt(), flush=True)
    if console is not None:
        print(f"Dashboard (one-time sign-in link): {console_link(dashboard)}", flush=True)
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
        await http.stop()
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
