"""bot.delivery.pacing on virtual time: what the Pacer and the WindowLimiter grant, and in
which order. No wall-clock timing anywhere."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import random
from collections.abc import Awaitable
from typing import Any

import pytest

from bot.app.settings import Settings
from bot.delivery.pacing import Pacer, WindowLimiter


class VirtualTime:
    """A monotonic clock and a sleep that only move when `run` finds every task waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        done = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + max(0.0, delay), next(self._order), done))
        await done

    async def run(self, *work: Awaitable[Any]) -> list[Any]:
        tasks = [asyncio.ensure_future(w) for w in work]
        while True:
            for _ in range(100):  # let every runnable task reach its next sleep
                await asyncio.sleep(0)
            if all(t.done() for t in tasks):
                return [t.result() for t in tasks]
            assert self._timers, "tasks are blocked on something other than virtual time"
            when, _, done = heapq.heappop(self._timers)
            self.now = max(self.now, when)
            if not done.cancelled():
                done.set_result(None)


def paced_by(time: VirtualTime, per_second: float, burst: float) -> Pacer:
    return Pacer(per_second, burst, clock=time.clock, sleep=time.sleep)


async def grants(
    time: VirtualTime, pacer: Pacer, calls: list[tuple[float, float]]
) -> list[tuple[float, float, int]]:
    """Each call (arrival, cost) takes from `pacer`; returns (grant time, cost, index) in the
    order the grants happened."""
    granted: list[tuple[float, float, int]] = []

    async def call(index: int, arrival: float, cost: float) -> None:
        await time.sleep(arrival - time.now)
        await pacer.take(cost)
        granted.append((time.now, cost, index))

    await time.run(*(call(i, at, cost) for i, (at, cost) in enumerate(calls)))
    return granted


def most_in_any_window(granted: list[tuple[float, float, int]], window: float) -> float:
    return max(
        sum(cost for at, cost, _ in granted if start <= at <= start + window)
        for start, _, _ in granted
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_never_more_than_rate_times_window_plus_burst_in_any_window(seed: int) -> None:
    rng = random.Random(seed)
    time = VirtualTime()
    pacer = paced_by(time, per_second=10, burst=6)
    calls = [(rng.uniform(0, 30), float(rng.randint(1, 6))) for _ in range(300)]
    granted = await grants(time, pacer, calls)
    assert len(granted) == len(calls)
    for window in (0.1, 0.5, 1.0, 2.5, 10.0):
        assert most_in_any_window(granted, window) <= 10 * window + 6 + 1e-9


async def test_after_an_event_loop_stall_the_waiters_do_not_rush_out_together() -> None:
    time = VirtualTime()
    pacer = paced_by(time, per_second=10, burst=5)
    granted: list[tuple[float, float, int]] = []

    async def call(index: int) -> None:
        await pacer.take(1)
        granted.append((time.now, 1.0, index))

    async def stall() -> None:
        await time.sleep(0.55)
        time.now += 3.0  # the loop was busy elsewhere: every timer due meanwhile fires late

    await time.run(stall(), *(call(i) for i in range(40)))
    assert len(granted) == 40
    for window in (0.0, 0.5, 1.0):
        assert most_in_any_window(granted, window) <= 10 * window + 5 + 1e-9


async def test_a_cost_above_the_burst_is_granted_from_a_full_bucket_and_repaid() -> None:
    time = VirtualTime()
    pacer = paced_by(time, per_second=10, burst=2)
    granted = await grants(time, pacer, [(0.0, 5.0)] * 20)
    for window in (0.1, 1.0, 5.0):
        assert most_in_any_window(granted, window) <= 10 * window + 5 + 1e-9
    assert pacer.available() < 0  # the last grant left the bucket in debt


async def test_a_saturated_pacer_grants_at_its_rate_not_slower() -> None:
    time = VirtualTime()
    pacer = paced_by(time, per_second=20, burst=4)
    granted = await grants(time, pacer, [(0.0, 4.0)] * 50)
    # 200 tokens: the first 4 from the full bucket, the other 196 at 20/s.
    assert granted[-1][0] == pytest.approx(196 / 20)
    assert pacer.granted == 200


async def test_waiters_are_served_in_arrival_order_whatever_their_cost() -> None:
    time = VirtualTime()
    pacer = paced_by(time, per_second=5, burst=3)
    costs = [3.0, 1.0, 3.0, 1.0, 1.0, 2.0, 3.0, 1.0]
    # all arrive at the same instant, one after another
    granted = await grants(time, pacer, [(0.0, c) for c in costs])
    assert [index for _, _, index in granted] == list(range(len(costs)))
    times = [at for at, _, _ in granted]
    assert times == sorted(times)


async def test_a_cheap_late_caller_does_not_overtake_an_expensive_early_one() -> None:
    time = VirtualTime()
    pacer = paced_by(time, per_second=1, burst=4)
    granted = await grants(time, pacer, [(0.0, 4.0), (0.0, 4.0), (0.5, 1.0)])
    assert [index for _, _, index in granted] == [0, 1, 2]
    assert [at for at, _, _ in granted] == [0.0, 4.0, 5.0]


async def test_a_cancelled_waiter_never_lets_others_overdraw() -> None:
    time = VirtualTime()
    pacer = paced_by(time, per_second=2, burst=2)
    granted: list[tuple[float, float, int]] = []

    async def call(index: int) -> None:
        await pacer.take(2)
        granted.append((time.now, 2.0, index))

    async def cancel_the_second(tasks: list[asyncio.Task[None]]) -> None:
        await time.sleep(0.5)
        tasks[1].cancel()

    tasks = [asyncio.ensure_future(call(i)) for i in range(4)]
    await time.run(cancel_the_second(tasks), *(asyncio.gather(t, return_exceptions=True)
                                              for t in tasks))  # fmt: skip
    assert [index for _, _, index in granted] == [0, 2, 3]
    assert most_in_any_window(granted, 1.0) <= 2 * 1.0 + 2


async def test_free_calls_do_not_wait_and_bad_arguments_are_refused() -> None:
    time = VirtualTime()
    pacer = paced_by(time, per_second=1, burst=1)
    await time.run(pacer.take(1), pacer.take(0))
    assert time.now == 0.0
    with pytest.raises(ValueError):
        await pacer.take(-1)
    for rate, burst in ((0, 1), (-1, 1), (float("inf"), 1), (1, 0)):
        with pytest.raises(ValueError):
            Pacer(rate, burst)


async def test_the_default_clock_and_sleep_are_the_event_loops() -> None:
    pacer = Pacer(1000.0, 10.0)  # the positional constructor other adapters rely on
    await asyncio.gather(*(pacer.take(1) for _ in range(12)))
    assert pacer.granted == 12


# --- WindowLimiter -------------------------------------------------------------------------


async def window_grants(
    time: VirtualTime, limiter: WindowLimiter, arrivals: list[float]
) -> list[tuple[float, int]]:
    """(grant time, index) of one request per arrival, in the order they were granted."""
    granted: list[tuple[float, int]] = []

    async def call(index: int, arrival: float) -> None:
        await time.sleep(arrival - time.now)
        await limiter.take()
        granted.append((time.now, index))

    await time.run(*(call(i, at) for i, at in enumerate(arrivals)))
    return granted


def limited_by(time: VirtualTime, limit: int, window: float = 1.0) -> WindowLimiter:
    return WindowLimiter(limit, window, clock=time.clock, sleep=time.sleep)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_no_window_and_no_wall_clock_second_holds_more_than_the_limit(seed: int) -> None:
    rng = random.Random(seed)
    time = VirtualTime()
    arrivals = [rng.uniform(0, 20) for _ in range(600)] + [5.0] * 100  # and one burst
    granted = await window_grants(time, limited_by(time, 47), arrivals)
    assert len(granted) == len(arrivals)
    at = sorted(t for t, _ in granted)
    # any `limit + 1` consecutive grants span at least a full window ...
    assert min(b - a for a, b in zip(at, at[47:], strict=False)) >= 1.0 - 1e-9
    # ... so a limiter counting per wall-clock second, wherever its second starts, never
    # sees more than 47 (the Pacer's 47.5/s with a burst of 5 lets 52 through)
    for offset in (0.0, 0.25, 0.5, 0.999):
        per_second: dict[int, int] = {}
        for t in at:
            per_second[math.floor(t + offset)] = per_second.get(math.floor(t + offset), 0) + 1
        assert max(per_second.values()) <= 47


async def test_requests_delayed_unevenly_on_their_way_still_fit_a_fixed_window_of_50() -> None:
    rng = random.Random(7)
    time = VirtualTime()
    granted = await window_grants(time, limited_by(time, 47), [0.0] * 500)
    arrivals = [at + rng.uniform(0, 0.06) for at, _ in granted]  # up to 60 ms late each
    for offset in (0.0, 0.3, 0.7):
        per_second: dict[int, int] = {}
        for t in arrivals:
            per_second[math.floor(t + offset)] = per_second.get(math.floor(t + offset), 0) + 1
        assert max(per_second.values()) <= 50


async def test_a_token_bucket_at_the_same_rate_fills_a_wall_clock_second_beyond_the_limit() -> None:
    """Why the WindowLimiter: the Pacer the Discord platform used lets more than 50 requests
    into one second of a fixed-window counter after an idle moment."""
    time = VirtualTime()
    granted = await grants(time, paced_by(time, per_second=47.5, burst=5), [(0.0, 1.0)] * 200)
    per_second: dict[int, int] = {}
    for at, _, _ in granted:
        per_second[math.floor(at)] = per_second.get(math.floor(at), 0) + 1
    assert per_second[0] == 52


async def test_a_saturated_limiter_keeps_its_throughput() -> None:
    time = VirtualTime()
    limiter = limited_by(time, 10, window=0.5)  # 20 a second
    granted = await window_grants(time, limiter, [0.0] * 200)
    # one every 0.05 s from the first: 200 in under 10 s
    assert granted[-1][0] == pytest.approx(199 * 0.05)
    assert [at for at, _ in granted[:3]] == [0.0, pytest.approx(0.05), pytest.approx(0.1)]
    assert limiter.granted == 200


async def test_waiters_are_granted_in_arrival_order() -> None:
    time = VirtualTime()
    granted = await window_grants(time, limited_by(time, 3), [0.0] * 10 + [0.1, 0.2])
    assert [index for _, index in granted] == list(range(12))


async def test_a_cancelled_waiter_takes_no_place_in_the_window() -> None:
    time = VirtualTime()
    limiter = limited_by(time, 2)
    granted: list[tuple[float, int]] = []

    async def call(index: int) -> None:
        await limiter.take()
        granted.append((time.now, index))

    async def cancel_the_third(tasks: list[asyncio.Task[None]]) -> None:
        await time.sleep(0.75)  # the third would be granted at 1.0
        tasks[2].cancel()

    tasks = [asyncio.ensure_future(call(i)) for i in range(5)]
    await time.run(cancel_the_third(tasks), *(asyncio.gather(t, return_exceptions=True)
                                             for t in tasks))  # fmt: skip
    assert [index for _, index in granted] == [0, 1, 3, 4]
    assert [at for at, _ in granted] == pytest.approx([0.0, 0.5, 1.0, 1.5])


def test_the_rate_becomes_a_whole_number_per_window_and_bad_arguments_are_refused() -> None:
    assert WindowLimiter.per_second(47.5).limit == 47
    assert WindowLimiter.per_second(50.0).limit == 50
    assert WindowLimiter.per_second(475.0, window=0.1).limit == 47
    assert WindowLimiter.per_second(0.2).limit == 1  # never stuck at zero
    for limit, window in ((0, 1.0), (5, 0.0), (5, -1.0), (5, float("inf"))):
        with pytest.raises(ValueError):
            WindowLimiter(limit, window)


# --- the composition root ---------------------------------------------------------------------


def settings(**env: Any) -> Settings:
    return Settings(_env_file=None, **env)


def test_a_worker_paces_at_95_percent_of_its_share_of_the_shards() -> None:
    assert settings().discord_request_rate == pytest.approx(47.5)
    assert settings(DISCORD_SHARD_COUNT="4").discord_request_rate == pytest.approx(47.5)
    two_of_four = settings(DISCORD_SHARD_COUNT="4", DISCORD_SHARD_IDS="0,1")
    assert two_of_four.discord_request_rate == pytest.approx(23.75)
    explicit = settings(
        DISCORD_SHARD_COUNT="4", DISCORD_SHARD_IDS="3", DISCORD_REQUESTS_PER_SECOND="40"
    )
    assert explicit.discord_request_rate == 40


async def test_a_held_pacer_grants_nothing_until_the_hold_is_over() -> None:
    time = VirtualTime()
    pacer = paced_by(time, per_second=10, burst=5)
    pacer.hold(2.0)  # a 429's Retry-After
    granted = await grants(time, pacer, [(0.0, 1.0), (0.0, 1.0)])
    assert [at for at, _, _ in granted] == [pytest.approx(2.0), pytest.approx(2.1)]
