"""`/tigerbird stats` through ChatCommands: the summary, the chart, and bad periods."""

from __future__ import annotations

import io
from datetime import timedelta

import numpy as np
from PIL import Image

from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName
from bot.core.invocations import Invocation
from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.test_analytics_history import DAY0, NOW, seed_history

MANAGER = Invocation(PlatformName.SLACK, "T1", "C1", "U1", member_is_admin=True)


def assert_real_chart(png: bytes | None) -> None:
    """A 1200×675 PNG that is not blank."""
    assert png is not None and png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    assert image.size == (1200, 675)
    pixels = np.asarray(image.convert("L"), dtype=np.float64)
    assert pixels.var() > 100


async def test_stats_summary_and_chart(store: UnitOfWorkFactory) -> None:
    await seed_history(store)
    service, _ = make_service(store, FrozenClock(NOW))
    commands = ChatCommands(service)

    reply = await commands.run(MANAGER, "stats all")

    lines = reply.text.splitlines()
    assert lines[0] == "*Stats here, all time:* 4 prompts posted · engagement 12.1% →"
    assert lines[1:5] == [
        "Best prompts:",
        "1. Question 1? — 15.0% (2×, all communities 20.8%)",
        "2. Question 2? — 10.0% (1×, all communities 10.0%)",
        "3. Question 3? — 0.0% (1×, all communities 0.0%)",
    ]
    assert lines[5] == "Best category: small-joys (13.3%)"
    assert lines[6] == (
        "First answer after 10 min (median) · 0 prompts left before repeats · 0 days left before "
        "repeats (shortest categories: big-questions (1), small-joys (2))"
    )
    assert reply.private
    assert_real_chart(reply.chart_png)


async def test_stats_period_limits_the_posts(store: UnitOfWorkFactory) -> None:
    await seed_history(store)
    service, _ = make_service(store, FrozenClock(DAY0 + timedelta(days=33, hours=-1)))
    reply = await ChatCommands(service).run(MANAGER, "stats 30d")
    assert reply.text.startswith("*Stats here, last 30 days:* 1 prompt posted")


async def test_unknown_period_names_the_allowed_ones(store: UnitOfWorkFactory) -> None:
    await seed_history(store)
    service, _ = make_service(store, FrozenClock(NOW))
    reply = await ChatCommands(service).run(MANAGER, "stats 7d")
    assert reply.text == "stats: '7d' is not a period; use one of 30d, 90d, all"
    assert reply.chart_png is None


async def test_empty_channel_still_gets_a_chart(store: UnitOfWorkFactory) -> None:
    service, _ = make_service(store, FrozenClock(NOW))
    await ChatCommands(service).run(MANAGER, "here 09:00")
    reply = await ChatCommands(service).run(MANAGER, "stats")
    assert "No post has finished its 24-hour window yet." in reply.text
    assert_real_chart(reply.chart_png)
