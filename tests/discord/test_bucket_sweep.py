"""discord.py's sweep of expired rate-limit buckets runs at most once a minute once
throttled; a discord.py without that sweep is left alone."""

from __future__ import annotations

import discord
from discord.http import HTTPClient

from adapters.discord import build, endpoints
from adapters.discord.bucket_sweep import SWEEP_METHOD, ThrottledSweep, throttle_bucket_sweep
from bot.app.settings import Settings
from tests.discord.test_discord_gateway import RecordingCore

IDLE_LONG_AGO = 301.0  # discord.py drops a bucket idle for 300 s


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def idle(http: HTTPClient, keys: list[str]) -> None:
    for key in keys:
        http._buckets[key]._last_request -= IDLE_LONG_AGO


async def test_the_sweep_runs_at_most_once_per_interval() -> None:
    client = discord.Client(intents=discord.Intents.none())
    http = client.http
    clock = Clock()
    assert throttle_bucket_sweep(http, every=60.0, clock=clock)
    old = [f"route:{i}" for i in range(300)]
    for key in old:
        http.get_ratelimit(key)  # the first creation sweeps (nothing to drop yet)
    idle(http, old)
    clock.now = 59.0
    http.get_ratelimit("route:new")
    assert len(http._buckets) == 301  # within the minute: no scan, even past 256 buckets
    clock.now = 60.0
    http.get_ratelimit("route:newer")
    assert set(http._buckets) == {"route:new", "route:newer"}  # swept: idle ones dropped
    await client.close()


async def test_installing_twice_keeps_one_throttle() -> None:
    client = discord.Client(intents=discord.Intents.none())
    clock = Clock()
    assert throttle_bucket_sweep(client.http, clock=clock)
    first = getattr(client.http, SWEEP_METHOD)
    assert throttle_bucket_sweep(client.http, clock=clock)
    assert getattr(client.http, SWEEP_METHOD) is first
    await client.close()


def test_a_discord_py_without_the_sweep_is_left_alone() -> None:
    class OtherHttpClient:
        pass

    http = OtherHttpClient()
    assert not throttle_bucket_sweep(http)
    assert not hasattr(http, SWEEP_METHOD)


async def test_the_adapter_ships_with_the_sweep_throttled() -> None:
    settings = Settings(
        _env_file=None, DISCORD_TOKEN="token", DISCORD_API_URL="http://127.0.0.1:9/api/v10"
    )
    before = endpoints.current()
    try:
        core = RecordingCore()  # never called: nothing connects
        adapter = build(settings, app=core, commands=core)
        assert isinstance(getattr(adapter.client.http, SWEEP_METHOD), ThrottledSweep)
        await adapter.client.close()
    finally:
        endpoints.point_at(*before)
