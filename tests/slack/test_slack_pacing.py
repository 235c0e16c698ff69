"""Per-workspace pacing: which bucket each call waits on, and idle buckets are dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from adapters.slack.client import web_client
from adapters.slack.oauth import StaticTokens
from adapters.slack.platform import SlackPlatform
from adapters.slack.rate_buckets import KeyedPacers, SlackPacing, SlackRates
from bot.core.domain import Choice
from bot.core.ports import PromptMessage
from bot.delivery.pacing import Pacer
from tests.slack.fake_slack import FakeSlack

PROMPT = PromptMessage("Cats or dogs?", "pets", "m1", (Choice("🐱", "Cats"), Choice("🐶", "Dogs")))


class RecordingPacers(KeyedPacers):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[tuple[str, ...]] = []
        self.rates: dict[tuple[str, ...], tuple[float, float]] = {}

    async def take(self, key: tuple[str, ...], make: Callable[[], Pacer]) -> None:
        self.keys.append(key)
        pacer = make()
        self.rates[key] = (pacer.per_second, pacer.burst)


async def test_each_call_waits_on_its_workspace_method_and_channel() -> None:
    pacers = RecordingPacers()
    pacing = SlackPacing(SlackRates(share=1.0, burst_margin=0), pacers)

    await pacing.before("T1", "chat_postMessage", "C1")
    await pacing.before("T1", "reactions_add", "C1")
    await pacing.before("T2", "conversations_info", "C9")
    await pacing.before("T1", "views_open", None)  # not rate-limited per workspace here

    assert pacers.keys == [
        ("post", "T1", "C1"),
        ("post", "T1"),
        ("reactions_add", "T1"),
        ("conversations_info", "T2"),
    ]
    assert pacers.rates[("post", "T1", "C1")] == (1.0, 1)  # 1/s per channel
    assert pacers.rates[("reactions_add", "T1")] == (50 / 60, 50)  # Tier 3


async def test_idle_buckets_are_dropped_once_full_again_busy_ones_kept() -> None:
    now = [100.0]
    pacers = KeyedPacers(sweep_every=1e9, clock=lambda: now[0])
    await pacers.take(("reactions_add", "T1"), lambda: Pacer(1.0, 10))
    await pacers.take(("reactions_add", "T2"), lambda: Pacer(1.0, 10))
    now[0] += 5.0
    await pacers.take(("reactions_add", "T2"), lambda: Pacer(1.0, 10))
    assert len(pacers) == 2

    pacers.sweep(now[0] + 5.0)  # T1 idle 10 s: its bucket of 10 at 1/s is full again

    assert len(pacers) == 1
    pacers.sweep(now[0] + 10.0)
    assert len(pacers) == 0


async def test_a_bucket_with_a_caller_waiting_is_kept() -> None:
    now = [0.0]
    pacers = KeyedPacers(sweep_every=1e9, clock=lambda: now[0])
    slow = Pacer(0.001, 1)
    await pacers.take(("auth_test", "T1"), lambda: slow)
    waiting = asyncio.create_task(pacers.take(("auth_test", "T1"), lambda: slow))
    await asyncio.sleep(0)

    pacers.sweep(1e6)

    assert len(pacers) == 1
    waiting.cancel()


async def test_one_http_session_for_every_call_closed_on_shutdown(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    await platform.call("T1", "auth_test")
    session = platform.client.session
    await platform.check_permissions("T1", "CGENERAL", pin=False, thread=False, ping_role=None)

    assert session is not None and platform.client.session is session
    assert platform._post_client.session is session
    await platform.aclose()
    assert session.closed


class HeldReactions(SlackPacing):
    """Pacing under which reactions.add waits until `release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def before(self, team: str, method: str, channel: str | None) -> None:
        if method == "reactions_add":
            await self.release.wait()


async def test_a_post_does_not_wait_for_reactions_held_by_the_workspace_budget(
    fake_slack: FakeSlack,
) -> None:
    pacing = HeldReactions()
    token = fake_slack.team("T1").bot_token
    platform = SlackPlatform(web_client(fake_slack.api_url), StaticTokens(token), pacing=pacing)

    await platform.post("T1", "CGENERAL", PROMPT)
    assert fake_slack.posts("CGENERAL")[0].get("reactions", []) == []

    pacing.release.set()
    await platform.drain()
    assert fake_slack.posts("CGENERAL")[0]["reactions"] == ["cat", "dog"]
    await platform.aclose()


async def test_shutdown_gives_up_reactions_still_held(fake_slack: FakeSlack) -> None:
    token = fake_slack.team("T1").bot_token
    platform = SlackPlatform(
        web_client(fake_slack.api_url), StaticTokens(token), pacing=HeldReactions()
    )
    platform.shutdown_wait = 0.05
    await platform.post("T1", "CGENERAL", PROMPT)

    await platform.aclose()

    assert fake_slack.posts("CGENERAL")[0].get("reactions", []) == []
