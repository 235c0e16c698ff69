"""The fan-out benchmark: N schedules due in the same minute, posted through the real
adapters to rate-limited fakes, against a naive sequential poster in the same harness."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import numpy as np
from sqlalchemy import update

from adapters.discord import DiscordAdapter, endpoints
from adapters.discord.bucket_sweep import SWEEP_METHOD
from adapters.discord.platform import DiscordPlatform
from adapters.slack.client import web_client
from adapters.slack.platform import SlackPlatform
from bot.app.bootstrap import build_adapters, build_core
from bot.app.settings import Settings
from bot.core.domain import PlatformName, PostStatus, Target
from bot.core.ports import Missing, Platform, PromptMessage, UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer, DeliveryConfig
from bot.delivery.pacing import WindowLimiter
from bot.learning.selection import UniformPolicy
from bot.storage.models import ScheduleRow
from bot.storage.uow import SqlUnitOfWork
from tests.discord.fake_discord_state import BOT_TOKEN
from tests.scale.limited_fakes import LimitedDiscord, LimitedSlack
from tests.scale.ratelimit import (
    DISCORD_GLOBAL_PER_SECOND,
    SLACK_POSTS_PER_CHANNEL_SECOND,
    SLACK_TIER_PER_MINUTE,
    SLACK_WORKSPACE_POST_BURST,
    SLACK_WORKSPACE_POSTS_PER_MINUTE,
    DiscordLimits,
    SlackLimits,
)
from tests.scale.worlds import (
    CHOICES,
    IndexedWorld,
    Place,
    TeamTokens,
    add_schedules,
    discord_counts,
    discord_places,
    duplicates_and_misses,
    slack_counts,
    slack_places,
)

# What a post needs (schedules here have threads on, pins off, and every prompt two choices):
# its message, one reaction per choice and its thread. Pre-flight reads the gateway cache.
DISCORD_REQUESTS_PER_POST = 1 + len(CHOICES) + 1
# auth.test, conversations.list (or .info); post; react (the chain of one post, caches cold)
SLACK_REQUESTS_PER_POST = 2 + 1 + len(CHOICES)


class WallClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class RunFigures:
    """One poster's run: elapsed (scaled back to real seconds), lateness, correctness."""

    label: str
    posts: int
    elapsed: float
    bound: float
    lateness: list[float] = field(default_factory=list)
    duplicates: int = 0
    misses: int = 0
    limited: int = 0
    measured_posts: int = 0
    limited_global: int = 0

    @property
    def ratio(self) -> float:
        return self.elapsed / self.bound if self.bound else float("nan")

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.lateness, q)) if self.lateness else float("nan")


@dataclass
class FanoutReport:
    platform: str
    concurrent: RunFigures
    naive: RunFigures
    notes: list[str] = field(default_factory=list)


async def _deliver_all(
    uow: UnitOfWorkFactory, platform: Platform, config: DeliveryConfig, slot: datetime
) -> tuple[float, list[float]]:
    """Claim and post every due slot (then retry leftovers at once); elapsed and lateness."""
    policy = UniformPolicy(np.random.default_rng(7))
    deliverer = Deliverer(uow, {platform.name: platform}, policy, WallClock(), config)
    started = time.monotonic()
    await deliverer.post_due()
    for _ in range(config.max_attempts):
        if not await deliverer.recover(lease=timedelta(0)):
            break
    elapsed = time.monotonic() - started
    async with uow() as u:
        posts = await u.posts.all()
    lateness = [
        (p.posted_at - slot).total_seconds()
        for p in posts
        if p.status is PostStatus.SENT and p.posted_at is not None
    ]
    return elapsed, lateness


class NaivePoster(Protocol):
    """The part of `Platform` a naive poster uses."""

    async def check_permissions(
        self, community: str, channel: str, *, pin: bool, thread: bool, ping_role: str | None
    ) -> list[Missing]: ...

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target: ...


async def _naive(platform: NaivePoster, places: list[Place], slot: datetime) -> list[float]:
    """What simple bots do: check, then post, one awaited call after another."""
    lateness = []
    for i, place in enumerate(places):
        missing = await platform.check_permissions(
            place.community, place.channel, pin=False, thread=True, ping_role=None
        )
        assert not missing, missing
        message = PromptMessage(
            "Tea or coffee?", "food", f"naive:{i}", CHOICES, True, "Tea or coffee?"
        )
        await platform.post(place.community, place.channel, message)
        lateness.append((datetime.now(UTC) - slot).total_seconds())
    return lateness


def _slot() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def shipped_settings(fake: LimitedDiscord, **extra: Any) -> Settings:
    """The settings a deployment would have, pointed at the fake (no .env read)."""
    return Settings(
        _env_file=None,
        DISCORD_TOKEN=BOT_TOKEN,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        TIGERBIRD_MEMBER_KEY="fan-out benchmark",
        **extra,
    )


async def run_discord(
    uow: UnitOfWorkFactory,
    schedules: int,
    per_guild: int = 10,
    speed: float = 10.0,
    latency: float = 0.05,
    config: DeliveryConfig | None = None,
    naive_sample: int = 200,
    unpaced: bool = False,
    requests_per_second: float | None = None,
    fixed_window: bool = True,
) -> FanoutReport:
    """Tigerbird as shipped: the adapter bootstrap's `build_adapters` registers, its gateway
    connected (pre-flight reads the cache), every request paced at DISCORD_REQUESTS_PER_SECOND
    per window, discord.py's bucket sweep throttled. `latency` is in real seconds; the fake
    runs `speed` times faster than Discord, so the pace is `speed` times the setting and the
    window 1/speed. `unpaced`: no wire pacing and discord.py's own bucket sweep, as before
    pacing shipped. `requests_per_second`: instead of the setting's default. `fixed_window`:
    the fake counts its global limit per wall-clock second (else a refilling bucket)."""
    config = config or DeliveryConfig()
    limits = DiscordLimits(speed=speed, latency=latency / speed, fixed_window=fixed_window)
    fake = LimitedDiscord(limits)
    fake.world = fake.rest.world = IndexedWorld()
    await fake.start()
    before = endpoints.current()
    rate = requests_per_second or shipped_settings(fake).discord_request_rate
    settings = shipped_settings(fake, DISCORD_REQUESTS_PER_SECOND=rate * speed)
    core = await build_core(uow, settings, clock=WallClock(), config=config)
    (adapter,) = build_adapters(core, settings)
    assert isinstance(adapter, DiscordAdapter)
    adapter.pacing.limiter = WindowLimiter.per_second(rate * speed, window=1 / speed)
    platform: DiscordPlatform = adapter.platform
    poster = core.platforms[PlatformName.DISCORD]
    if unpaced:
        adapter.client.http.http_trace = None  # before login, which makes the session
        vars(adapter.client.http).pop(SWEEP_METHOD, None)  # discord.py's own sweep again
    # the guilds exist before the gateway connects: each arrives in a GUILD_CREATE
    places = discord_places(fake.world, schedules // per_guild, per_guild, first=1000)
    naive_places = discord_places(fake.world, naive_sample // per_guild, per_guild, 900_000)
    try:
        await adapter.start()
        slot = _slot()
        await add_schedules(uow, PlatformName.DISCORD, places, slot)
        limits.reset()
        slot = _slot()
        await _shift_slots(uow, slot)
        elapsed, lateness = await _deliver_all(uow, poster, config, slot)
        limited = limits.stats.limited_global + limits.stats.limited_route
        sent = limits.stats.served + limited
        per_second = DISCORD_GLOBAL_PER_SECOND * speed
        bound = len(places) * DISCORD_REQUESTS_PER_POST / per_second
        dup, miss = duplicates_and_misses(discord_counts(fake.world, places))
        incomplete = _incomplete_discord_posts(fake.world, places)
        concurrent = RunFigures(
            "tigerbird", len(places), elapsed * speed, bound * speed,
            [x * speed for x in lateness], dup, miss, limited, len(places),
            limits.stats.limited_global,
        )  # fmt: skip
        limits.reset()
        slot = _slot()
        started = time.monotonic()
        naive_lateness = await _naive(platform, naive_places, slot)
        naive_elapsed = (time.monotonic() - started) * len(places) / len(naive_places)
        dup, miss = duplicates_and_misses(discord_counts(fake.world, naive_places))
        naive = RunFigures(
            "naive sequential", len(places), naive_elapsed * speed, bound * speed,
            [x * speed for x in naive_lateness], dup, miss,
            limits.stats.limited_global + limits.stats.limited_route, len(naive_places),
            limits.stats.limited_global,
        )  # fmt: skip
        fake.assert_contract_kept()
    finally:
        await adapter.stop()
        endpoints.point_at(*before)
        await fake.stop()
    label = "unpaced, discord.py as is" if unpaced else (
        f"as shipped: each request paced at {rate:g}/s per window, pre-flight from the "
        "gateway cache, bucket sweep throttled")  # fmt: skip
    limiter = "fixed one-second windows" if fixed_window else "a refilling bucket"
    notes = [
        f"{label}, concurrency {config.concurrency}, x{speed:g} speed, RTT {latency}s",
        f"fake's global limit: {limiter}; requests per post: sent {sent / len(places):.2f} / "
        f"needed {DISCORD_REQUESTS_PER_POST}; posts incomplete: {incomplete}",
    ]
    return FanoutReport("discord", concurrent, naive, notes)


def _incomplete_discord_posts(world: IndexedWorld, places: list[Place]) -> int:
    """Posts lacking one of their choice reactions or their thread."""
    channels = {p.channel for p in places}
    missing = 0
    for message in world.messages.values():
        if message["channel_id"] not in channels or message.get("type", 0) != 0:
            continue
        mine = {e for e, _ in world.reactions.get(int(message["id"]), [])}
        has_thread = world.thread_of(int(message["id"])) is not None
        missing += len(mine) < len(CHOICES) or not has_thread
    return missing


async def _shift_slots(uow: UnitOfWorkFactory, slot: datetime) -> None:
    """Make every schedule due exactly now (populating took a while): one statement, so that
    the harness adds no lateness of its own."""
    async with uow() as u:
        session = u._session if isinstance(u, SqlUnitOfWork) else None
        if session is None:  # not SQL: go through the repository
            for schedule in await u.schedules.all():
                schedule.next_slot_at = slot
                await u.schedules.update(schedule)
        else:
            await session.execute(update(ScheduleRow).values(next_slot_at=slot))
        await u.commit()


def slack_bound(places: list[Place], latency: float) -> float:
    """The time Slack's limits allow, every workspace in parallel: per workspace, the calls a
    post cannot do without (the message, one reaction per choice) beyond each bucket's burst,
    paced at its rate; the slowest workspace decides, and it is at least one post's chain."""
    per_team: dict[str, dict[str, int]] = {}
    for place in places:
        channels = per_team.setdefault(place.community, {})
        channels[place.channel] = channels.get(place.channel, 0) + 1
    slowest = 0.0
    for channels in per_team.values():
        posts = sum(channels.values())
        reactions = posts * len(CHOICES)
        waits = [
            _beyond_burst(reactions, SLACK_TIER_PER_MINUTE["reactions.add"], 60.0),
            _beyond_burst(posts, SLACK_WORKSPACE_POST_BURST, SLACK_WORKSPACE_POST_BURST * 60.0
                          / SLACK_WORKSPACE_POSTS_PER_MINUTE),
            (max(channels.values()) - 1) / SLACK_POSTS_PER_CHANNEL_SECOND,
        ]  # fmt: skip
        slowest = max(slowest, *waits)
    return slowest + SLACK_REQUESTS_PER_POST * latency


def _beyond_burst(calls: int, capacity: float, seconds: float) -> float:
    """Seconds a bucket of `capacity` refilled over `seconds` needs for `calls` in a row."""
    return max(0.0, calls - capacity) * seconds / capacity


class _AwaitingReactions:
    """The Slack platform for the naive poster: each post also awaits its reactions."""

    def __init__(self, platform: SlackPlatform) -> None:
        self._platform = platform
        self.name = platform.name

    async def check_permissions(
        self, community: str, channel: str, *, pin: bool, thread: bool, ping_role: str | None
    ) -> list[Missing]:
        return await self._platform.check_permissions(
            community, channel, pin=pin, thread=thread, ping_role=ping_role
        )

    async def post(self, community: str, channel: str, message: PromptMessage) -> Target:
        target = await self._platform.post(community, channel, message)
        await self._platform.drain()
        return target


async def run_slack(
    uow: UnitOfWorkFactory,
    schedules: int,
    per_team: int = 10,
    latency: float = 0.05,
    config: DeliveryConfig | None = None,
    naive_sample: int = 200,
) -> FanoutReport:
    """Slack in real time (its Retry-After is whole seconds, so it cannot be sped up), through
    SlackPlatform as shipped (paced per workspace, one HTTP session). Elapsed runs until the
    last choice reaction is added."""
    config = config or DeliveryConfig()
    limits = SlackLimits(latency=latency)
    fake = LimitedSlack(limits)
    await fake.start()
    places = slack_places(fake, schedules // per_team, per_team, first=1000)
    naive_places = slack_places(fake, naive_sample // per_team, per_team, first=900_000)
    platform = SlackPlatform(web_client(fake.api_url), TeamTokens(fake))
    naive_platform = SlackPlatform(web_client(fake.api_url), TeamTokens(fake))
    try:
        slot = _slot()
        await add_schedules(uow, PlatformName.SLACK, places, slot)
        limits.reset()
        slot = _slot()
        await _shift_slots(uow, slot)
        started, cpu = time.monotonic(), time.process_time()
        _, lateness = await _deliver_all(uow, platform, config, slot)
        await platform.drain()
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        bound = slack_bound(places, latency)
        dup, miss = duplicates_and_misses(slack_counts(fake, places))
        concurrent = RunFigures(
            "tigerbird", len(places), elapsed, bound, lateness, dup, miss,
            limits.stats.limited_route, len(places),
        )  # fmt: skip
        requests = dict(limits.stats.by_route)
        unreacted = _posts_without_reactions(fake, places)
        limits.reset()
        slot = _slot()
        started = time.monotonic()
        naive_poster: NaivePoster = _AwaitingReactions(naive_platform)
        naive_lateness = await _naive(naive_poster, naive_places, slot)
        naive_elapsed = (time.monotonic() - started) * len(places) / len(naive_places)
        dup, miss = duplicates_and_misses(slack_counts(fake, naive_places))
        naive = RunFigures(
            "naive sequential", len(places), naive_elapsed, bound, naive_lateness, dup, miss,
            limits.stats.limited_route, len(naive_places),
        )  # fmt: skip
        assert fake.violations == [], fake.violations[:5]
    finally:
        await platform.aclose()
        await naive_platform.aclose()
        await fake.stop()
    notes = [
        f"concurrency {config.concurrency_for(PlatformName.SLACK)}, {per_team} channels per "
        f"workspace, RTT {latency}s; posts missing a choice reaction: {unreacted}",
        "requests: " + ", ".join(f"{m} {n}" for m, n in sorted(requests.items())),
        f"CPU of this process (bot, fake Slack, harness) while posting: {cpu:.1f} s"
        f" in {elapsed:.1f} s; last post {max(lateness, default=0.0):.1f} s after the slot",
    ]
    return FanoutReport("slack", concurrent, naive, notes)


def _posts_without_reactions(fake: LimitedSlack, places: list[Place]) -> int:
    return sum(
        1
        for p in places
        for post in fake.posts(p.channel)
        if len(post.get("reactions") or []) < len(CHOICES)
    )


def format_report(report: FanoutReport) -> str:
    """Both posters side by side; the ratio last."""
    rows = [("", report.concurrent.label, report.naive.label)]

    def row(name: str, get: Callable[[RunFigures], str]) -> None:
        rows.append((name, get(report.concurrent), get(report.naive)))

    row("posts", lambda r: f"{r.posts}" + ("" if r.measured_posts == r.posts else
        f" (measured {r.measured_posts}, extrapolated)"))  # fmt: skip
    row("elapsed (s, real time)", lambda r: f"{r.elapsed:.1f}")
    row("bound from limits (s)", lambda r: f"{r.bound:.1f}")
    row("lateness p50 (s)", lambda r: f"{r.percentile(50):.1f}")
    row("lateness p99 (s)", lambda r: f"{r.percentile(99):.1f}")
    row("429s received (global)", lambda r: f"{r.limited} ({r.limited_global})")
    row("duplicates", lambda r: f"{r.duplicates}")
    row("misses", lambda r: f"{r.misses}")
    row("elapsed / bound", lambda r: f"{r.ratio:.2f}")
    width = max(len(r[0]) for r in rows) + 2
    lines = [f"fan-out on {report.platform}", *report.notes]
    lines += [f"{a:<{width}}{b:>22}{c:>40}" for a, b, c in rows]
    speedup = report.naive.elapsed / report.concurrent.elapsed
    lines.append(f"naive elapsed / tigerbird elapsed: {speedup:.1f}")
    return "\n".join(lines)


Runner = Callable[..., Awaitable[FanoutReport]]
_ = statistics
