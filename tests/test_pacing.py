"""bot.delivery.pacing on virtual time: what the Pacer grants, in which order, and what
PacedPlatform charges and passes through. No wall-clock timing anywhere."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.app.bootstrap import DISCORD_BURST, paced
from bot.app.settings import Settings
from bot.core.domain import Choice, PlatformName, Target
from bot.core.ports import PlatformError, PromptMessage
from bot.delivery.pacing import PacedPlatform, Pacer, RequestCosts
from bot.testing.platform import FakePlatform


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
            for _ in range(10):  # let every runnable task reach its next sleep
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


# --- PacedPlatform --------------------------------------------------------------------------

COSTS = RequestCosts(
    check=7, post_base=2, per_choice=3, thread=5, pin=11, unpin=13,
    find_post=17, notify_managers=19, current_reactions=23, current_replies=29,
)  # fmt: skip
TEA = (Choice("🍵", "tea"), Choice("☕", "coffee"))
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def wrapped(
    time: VirtualTime, per_second: float = 1000.0, burst: float = 1000.0
) -> tuple[FakePlatform, Pacer, PacedPlatform]:
    inner = FakePlatform(name=PlatformName.DISCORD)
    pacer = paced_by(time, per_second, burst)
    return inner, pacer, PacedPlatform(inner, pacer, COSTS)


async def test_each_call_is_charged_what_request_costs_says() -> None:
    time = VirtualTime()
    _, pacer, platform = wrapped(time)
    target = Target("c1", "m1", None)
    calls: list[tuple[Awaitable[Any], float]] = [
        (platform.post("g", "c1", PromptMessage("Q", "food", "k1", TEA, True)), 2 + 2 * 3 + 5),
        (platform.post("g", "c1", PromptMessage("Q", "food", "k2", (), False)), 2),
        (platform.check_permissions("g", "c1", pin=True, thread=True, ping_role=None), 7),
        (platform.pin("g", target), 11),
        (platform.unpin("g", target), 13),
        (platform.find_post("g", "c1", "k1", WHEN), 17),
        (platform.notify_managers("g", "hello"), 19),
        (platform.current_reactions("g", target), 23),
        (platform.current_replies("g", target), 29),
    ]
    for call, cost in calls:
        before = pacer.granted
        await time.run(call)
        assert pacer.granted - before == cost
    assert platform.name is PlatformName.DISCORD


async def test_the_inner_call_waits_for_its_tokens() -> None:
    time = VirtualTime()
    inner, _, platform = wrapped(time, per_second=1, burst=1)
    message = PromptMessage("Q", "food", "k1", (), False)  # costs 2: one more than the burst
    await time.run(platform.post("g", "c1", message))
    posting = asyncio.ensure_future(platform.post("g", "c2", message))
    for _ in range(10):
        await asyncio.sleep(0)
    assert inner.transcript == ["post c1 k1"]  # the second post is still waiting
    await time.run(posting)
    assert inner.transcript == ["post c1 k1", "post c2 k1"]
    assert time.now == pytest.approx(2.0)


async def test_results_and_arguments_pass_through_unchanged() -> None:
    time = VirtualTime()
    inner, _, platform = wrapped(time)
    direct = FakePlatform(name=PlatformName.DISCORD)
    message = PromptMessage("Q", "food", "k1", TEA, True, "title", "role")
    (paced_target,) = await time.run(platform.post("g", "c1", message))
    direct_target = await direct.post("g", "c1", message)
    assert paced_target == direct_target
    assert inner.messages[0].message == message
    found = await time.run(platform.find_post("g", "c1", "k1", WHEN))
    assert found == [paced_target]
    inner.reactions[paced_target.message_id] = {("u1", "🍵")}
    assert await time.run(platform.current_reactions("g", paced_target)) == [[("u1", "🍵")]]
    inner.replies[paced_target.message_id] = [("u2", WHEN)]
    assert await time.run(platform.current_replies("g", paced_target)) == [[("u2", WHEN)]]
    inner.missing["c9"] = []
    assert await time.run(
        platform.check_permissions("g", "c9", pin=False, thread=True, ping_role=None)
    ) == [[]]


async def test_errors_of_the_inner_platform_propagate_as_they_are() -> None:
    time = VirtualTime()
    inner, pacer, platform = wrapped(time)
    refusal = PlatformError("channel gone", permanent=True, code="unknown_channel")
    inner.fail_next = [refusal]
    with pytest.raises(PlatformError) as raised:
        await time.run(platform.post("g", "c1", PromptMessage("Q", "food", "k1", (), False)))
    assert raised.value is refusal
    assert inner.messages == []
    # the budget was spent on the attempt, and the next call goes through as usual
    assert pacer.granted == 2
    await time.run(platform.post("g", "c1", PromptMessage("Q", "food", "k1", (), False)))
    assert inner.posted_markers() == ["k1"]


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


def test_bootstrap_paces_discord_only() -> None:
    worker = settings(DISCORD_SHARD_COUNT="4", DISCORD_SHARD_IDS="2")
    discord = paced(FakePlatform(name=PlatformName.DISCORD), worker)
    assert isinstance(discord, PacedPlatform)
    assert discord.pacer.per_second == pytest.approx(11.875)
    assert discord.pacer.burst == DISCORD_BURST
    slack = FakePlatform(name=PlatformName.SLACK)
    assert paced(slack, worker) is slack
