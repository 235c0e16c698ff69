"""CI-sized fan-out: every due slot posted exactly once through the real adapters to the
rate-limited fakes, paced or not, and by the naive poster. Correctness only, not timing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from bot.core.ports import UnitOfWorkFactory
from bot.delivery.deliverer import DeliveryConfig
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.scale.fanout import FanoutReport, format_report, run_discord, run_slack


@pytest.fixture
async def sql_store(sqlite_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(sqlite_url)
    yield SqlUnitOfWorkFactory(make_sessions(engine))
    await engine.dispose()


def assert_exactly_once(report: FanoutReport) -> None:
    for run in (report.concurrent, report.naive):
        assert (run.duplicates, run.misses) == (0, 0), format_report(report)
    assert len(report.concurrent.lateness) == report.concurrent.posts


@pytest.mark.parametrize("unpaced", [False, True], ids=["as-shipped", "unpaced"])
async def test_discord_fan_out_posts_every_slot_once(
    sql_store: UnitOfWorkFactory, unpaced: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    config = DeliveryConfig(concurrency=20, batch_size=40)
    report = await run_discord(
        sql_store, 100, speed=20, latency=0.02, config=config, naive_sample=10, unpaced=unpaced
    )
    assert_exactly_once(report)
    assert "posts incomplete: 0" in report.notes[1]  # every reaction and thread is there
    if not unpaced:
        # each request paced under the fixed-window global limit: no 429, and a post sends
        # only what it needs (message, 2 reactions, thread; pre-flight from the gateway cache)
        assert report.concurrent.limited == 0
        assert "requests per post: sent 4.00 / needed 4" in report.notes[1]


async def test_slack_fan_out_posts_every_slot_once(
    sql_store: UnitOfWorkFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    report = await run_slack(sql_store, 100, per_team=10, latency=0.0, naive_sample=10)
    assert_exactly_once(report)
    assert report.concurrent.limited == 0  # paced per workspace: no 429 at all
    assert "posts missing a choice reaction: 0" in report.notes[0]
    assert "elapsed / bound" in format_report(report).splitlines()[-2]
