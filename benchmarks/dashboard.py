"""Dashboard page latency: every page of one community, requested over HTTP on loopback from
the app `tigerbird run` serves (bot.app.web.build_http's dashboard over bot.app.bootstrap's
core, aiohttp's server), on a database of 10,000 schedules and 100,000 sent posts with
outcomes and responses, SQLite and PostgreSQL. Prints, per page, the first (cold) request and
p50 / p95 / max over the timed rounds; exits with status 1, naming them, when a page's p95 is
over 200 ms (with `--cold`, also when a first request is, or the rebuilt report's p95).

    .venv/bin/python -m benchmarks.dashboard --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench
    .venv/bin/python -m benchmarks.dashboard --per-community 10000   # all in one community

The library is the shipped packs (prompts/). The measured community is the first;
`--per-community` schedules share each (Discord) community (default 100, as
benchmarks/footprint.py). It also gets 30 suggestions waiting and 1,000 audit-log entries.
Analytics reports are kept a minute (adapters/web/reports.py): the cold column shows the
report built from the database, the rounds the kept one, and the extra row
"analytics (report rebuilt)" times the page with the kept reports dropped before each request.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import numpy as np
from aiohttp import web
from sqlalchemy import insert, text

from adapters.web import build as build_dashboard
from bot.app.bootstrap import build_core
from bot.app.settings import Settings
from bot.app.web import HttpServer, session_key, web_config
from bot.core.authz import Person
from bot.core.domain import CatchUp, PlatformName, PromptSource, ScheduleSpec
from bot.core.ports import Standing
from bot.library import load_packs
from bot.storage.engine import make_engine, make_sessions, upgrade
from bot.storage.mapping import spec_to_columns
from bot.storage.models import (
    AuditRow,
    Base,
    CommunityRow,
    PostRow,
    PromptRow,
    ResponseRow,
    ScheduleRow,
)
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.standings import FakeStandings

TARGET_MS = 200.0
# The shipped library (prompts/*.yaml): realistic texts for search and near-duplicate checks.
LIBRARY = [
    d for pack in load_packs(Path(__file__).resolve().parents[1] / "prompts") for d in pack.drafts
]
CHUNK = 5000
MANAGER = "4242"
GUILD = str(3000 << 22)


async def reset_database(url: str) -> None:
    """PostgreSQL at the latest schema, emptied."""
    upgrade(url)
    engine = make_engine(url)
    names = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()


async def seed(url: str, schedules: int, history: int, per_community: int) -> None:
    """Schedules in Discord servers of `per_community` channels, each with `history` daily
    sent posts (with outcomes and their responses: 3 a post on average); the first server's
    pending suggestions and audit log."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    spec = spec_to_columns(ScheduleSpec(timezone="Europe/Paris"))
    async with engine.begin() as conn:
        await conn.execute(insert(PromptRow), [
            dict(key=d.key, text=d.text, category=d.category, tags=list(d.tags),
                 choices=[[c.emoji, c.label] for c in d.choices], source=PromptSource.BUILTIN.value,
                 status="active", pack=d.pack, created_at=now)
            for d in LIBRARY
        ])  # fmt: skip
        servers = (schedules + per_community - 1) // per_community
        await conn.execute(insert(CommunityRow), [
            dict(platform=PlatformName.DISCORD.value, external_id=str((3000 + g) << 22),
                 name=f"guild {g}", manager_ids=[], manager_role_ids=[], created_at=now)
            for g in range(servers)
        ])  # fmt: skip
        rows = [
            dict(community_id=1 + s // per_community, channel=str(10_000 + s), **spec,
                 catch_up=CatchUp.LATEST.value, catch_up_limit=3, paused=False, thread=True,
                 pin=False, categories=[], repeat_window_days=60,
                 next_slot_at=now + timedelta(hours=1 + s % 24), digest=False,
                 digest_weekday=0, digest_time="09:00", created_at=now)
            for s in range(schedules)
        ]  # fmt: skip
        for start in range(0, len(rows), CHUNK):
            await conn.execute(insert(ScheduleRow), rows[start : start + CHUNK])
        posts = [
            dict(schedule_id=1 + s, prompt_id=1 + (s + d) % len(LIBRARY),
                 slot_at=now - timedelta(days=d + 1), status="sent", marker=f"tb:{s}:{d}",
                 message_id=f"m{s}-{d}", thread_id=f"m{s}-{d}", claimed_at=now,
                 posted_at=now - timedelta(days=d + 1), attempts=0, responders=d % 7,
                 audience=40, outcome_at=now - timedelta(days=d))
            for s in range(schedules)
            for d in range(history)
        ]  # fmt: skip
        for start in range(0, len(posts), CHUNK):
            await conn.execute(insert(PostRow), posts[start : start + CHUNK])
        # Each post's recorded responders reacted, a minute apart (post ids follow `posts`).
        responses = [
            dict(post_id=1 + i, member_key=f"k{j}", kind="reaction", emoji="👍",
                 at=post["posted_at"] + timedelta(minutes=1 + j))
            for i, post in enumerate(posts)
            for j in range(post["responders"])
        ]  # fmt: skip
        for start in range(0, len(responses), CHUNK):
            await conn.execute(insert(ResponseRow), responses[start : start + CHUNK])
        await conn.execute(insert(PromptRow), [
            dict(key=f"suggested/1/{i}", text=f"Would you rather swim or fly, version {i}?",
                 category="this-or-that", tags=[], choices=[], source="suggested",
                 status="pending", community_id=1, suggested_by=f"{900 + i}", created_at=now)
            for i in range(30)
        ])  # fmt: skip
        await conn.execute(insert(AuditRow), [
            dict(community_id=1, at=now - timedelta(minutes=i), actor=f"discord:{MANAGER}",
                 action="schedule.pause", detail=f"schedule #{1 + i % per_community} paused")
            for i in range(1000)
        ])  # fmt: skip
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))  # planner statistics, as a live database has them
    await engine.dispose()


async def timed(session: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with session.get(url, allow_redirects=False) as response:
        await response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


@dataclass
class PageTiming:
    """One page's first (cold) request and its timed rounds, in milliseconds."""

    page: str
    cold: float
    rounds: list[float] = field(default_factory=list)

    @property
    def p95(self) -> float:
        return float(np.percentile(self.rounds, 95))

    def line(self) -> str:
        ms = np.array(self.rounds)
        flag = (
            "  OVER" if self.p95 > TARGET_MS else ("  (cold over)" if self.cold > TARGET_MS else "")
        )
        return (f"{self.page:40s} p50 {np.percentile(ms, 50):7.1f} ms  p95 {self.p95:7.1f} ms  "
                f"max {ms.max():7.1f} ms  cold {self.cold:7.1f} ms{flag}")  # fmt: skip


async def bench(
    url: str, schedules: int, history: int, per_community: int, rounds: int, cold_target: bool
) -> tuple[list[str], list[str]]:
    """The benchmark's report lines and the pages that missed the target."""
    name = url.split("+")[0]
    started = time.monotonic()
    await seed(url, schedules, history, per_community)
    lines = [f"{name}: seeded {schedules} schedules ({per_community} per community), "
             f"{schedules * history} posts in {time.monotonic() - started:.1f}s"]  # fmt: skip
    engine = make_engine(url)
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    settings = Settings(_env_file=None, DATABASE_URL=url)  # type: ignore[call-arg]
    core = await build_core(uow, settings)
    standings = FakeStandings()
    standings.set(GUILD, MANAGER, Standing(is_admin=True))
    app = web.Application()
    dashboard = build_dashboard(
        web_config(settings, await session_key(uow, settings)),
        core.service,
        {PlatformName.DISCORD: standings},
    )
    dashboard.mount(app)
    server = HttpServer(app, "127.0.0.1", 0)
    await server.start()
    base = f"http://127.0.0.1:{server.bound_port}"
    link = dashboard.links.issue(Person(PlatformName.DISCORD, MANAGER, "bench"), (GUILD,))
    pages = [
        "/", "/c/1", "/c/1/schedules", "/c/1/schedules?page=2", "/c/1/schedules/1",
        "/c/1/library", "/c/1/library?q=would&category=hypotheticals", "/c/1/library?page=5",
        "/c/1/library/7", "/c/1/suggestions", "/c/1/analytics", "/c/1/analytics/chart.png",
        "/c/1/analytics.csv", "/c/1/settings", "/c/1/audit", "/c/1/audit?before=500",
    ]  # fmt: skip
    results: list[PageTiming] = []
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(base + link, allow_redirects=False) as signed:
            assert signed.status == 303, signed.status
        for page in pages:  # the first request of each page, in a fresh process
            results.append(PageTiming(page, await timed(session, base + page)))
        for timing in results:
            for _ in range(2):  # warm-up
                await timed(session, base + timing.page)
            timing.rounds = [await timed(session, base + timing.page) for _ in range(rounds)]
        analytics = next(t for t in results if t.page == "/c/1/analytics")
        rebuilt = PageTiming("/c/1/analytics (report rebuilt)", analytics.cold)
        for _ in range(rounds):  # the report rebuilt from the history every time
            dashboard.reports.reports.items.clear()
            rebuilt.rounds.append(await timed(session, base + "/c/1/analytics"))
    await server.stop()
    await engine.dispose()
    lines.extend(f"{name}: {timing.line()}" for timing in [*results, rebuilt])
    worst = max(results, key=lambda t: t.p95)
    coldest = max(results, key=lambda t: t.cold)
    lines.append(f"{name}: worst page p95 / target {worst.p95 / TARGET_MS:.2f} ({worst.p95:.0f} ms "
                 f"/ {TARGET_MS:.0f} ms, {worst.page})")  # fmt: skip
    lines.append(f"{name}: worst cold request {coldest.cold:.0f} ms ({coldest.page})")
    missed = [f"{name} {t.page}: p95 {t.p95:.0f} ms" for t in results if t.p95 > TARGET_MS]
    if cold_target:  # the rebuilt report is a cold read too
        missed += [f"{name} {t.page}: cold {t.cold:.0f} ms" for t in results if t.cold > TARGET_MS]
        if rebuilt.p95 > TARGET_MS:
            missed.append(f"{name} {rebuilt.page}: p95 {rebuilt.p95:.0f} ms")
    return lines, missed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=10000)
    parser.add_argument("--history", type=int, default=10, help="posts per schedule")
    parser.add_argument("--per-community", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=40, help="timed requests per page")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument(
        "--cold", action="store_true", help="fail also when a first (cold) request is over"
    )
    args = parser.parse_args()
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite+aiosqlite:///{folder}/dashboard.db"]
        if not args.sqlite_only:
            urls.append(args.postgres)
        for url in urls:
            if url.startswith("sqlite"):
                upgrade(url)
            else:
                await reset_database(url)
            lines, missed = await bench(
                url, args.schedules, args.history, args.per_community, args.rounds, args.cold
            )
            print(*lines, sep="\n", flush=True)
            misses.extend(missed)
    if misses:
        print(f"FAILED: {len(misses)} over the {TARGET_MS:.0f} ms target:", *misses, sep="\n  ")
        raise SystemExit(1)
    print(f"every page within the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    asyncio.run(main())
