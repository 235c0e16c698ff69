"""Where start-up time and memory go: `bot.app.bootstrap.run`'s steps one by one, with the
elapsed time and the RSS (and its peak) after each, in a fresh interpreter.

    .venv/bin/python -m tests.scale.startup_phases sqlite+aiosqlite:////tmp/footprint.db
    .venv/bin/python -m tests.scale.startup_phases --imports

`--imports` instead adds the process's dependencies one at a time and prints what each adds.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
import sys
import time
from pathlib import Path

STARTED = time.monotonic()
# In the order `tigerbird run` loads them; each line adds the RSS of what it pulls in.
IMPORTS = (
    "numpy",
    "sqlalchemy.ext.asyncio",
    "aiosqlite",
    "asyncpg",
    "slack_sdk.oauth.installation_store.sqlalchemy",
    "bot.storage.uow",
    "pydantic_settings",
    "bot.app.settings",
    "bot.app.bootstrap",
    "bot.app.cli.main",
)
NOT_LOADED_BY_RUN = ("discord", "alembic", "matplotlib")


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, in MB."""
    status = Path("/proc/self/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def mark(step: str) -> None:
    rss, peak = rss_mb()
    elapsed = time.monotonic() - STARTED
    print(f"{elapsed:6.2f} s  RSS {rss:6.1f} MB  peak {peak:6.1f} MB  after {step}", flush=True)


def imports() -> None:
    previous, _ = rss_mb()
    print(f"bare interpreter: {previous:.1f} MB")
    for module in (*IMPORTS, *NOT_LOADED_BY_RUN):
        importlib.import_module(module)
        rss, _ = rss_mb()
        note = "  (not loaded by `run`)" if module in NOT_LOADED_BY_RUN else ""
        print(f"+ {module:48s} {rss - previous:5.1f} MB -> {rss:6.1f} MB{note}")
        previous = rss


async def phases(url: str) -> None:
    import bot.app.cli.main  # noqa: F401  what `tigerbird run` imports before it starts
    from bot.app import bootstrap
    from bot.app.alarm import Alarm
    from bot.app.settings import Settings
    from bot.core.domain import PlatformName

    mark("imports")
    gc.freeze()
    settings = Settings(database_url=url)
    engine, uow = await bootstrap.open_database(settings)
    mark("open_database (migrations: a revision check at head)")
    core = await bootstrap.build_core(uow, settings)
    mark("build_core")
    await bootstrap.sync_packs(core, settings)
    mark("sync_packs")
    learned = await core.learning.sync()
    mark(f"replay of {learned} outcomes")
    adapters = bootstrap.build_adapters(core, settings)
    if PlatformName.CONSOLE in core.platforms:
        await bootstrap.ensure_console_schedule(core, settings)
    mark("build_adapters")
    await core.service.recover(lease=None)
    mark("recover")
    await core.service.catch_up_reactions()
    mark("catch_up_reactions")
    alarm = Alarm(core.service, periodic=[core.learning.tick])
    alarm.start()
    await alarm.arm()
    mark("alarm armed (ready)")
    alarm.stop()
    for adapter in adapters:
        await adapter.stop()
    await engine.dispose()
    loaded = [m for m in NOT_LOADED_BY_RUN if m in sys.modules]
    print(f"loaded of {', '.join(NOT_LOADED_BY_RUN)}: {', '.join(loaded) or 'none'}")


if __name__ == "__main__":
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN"):
        os.environ.pop(name, None)
    if sys.argv[1:] == ["--imports"]:
        imports()
    else:
        asyncio.run(phases(sys.argv[1]))
