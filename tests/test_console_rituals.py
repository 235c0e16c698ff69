"""Member rituals in the console: three days answered in a row are acknowledged under the
prompt, and `/tigerbird me` shows the streak."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import drafts
from tests.test_console import MONDAY_8, _console_schedule, _run, service_of


async def test_a_console_streak_is_acknowledged_and_shown(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(MONDAY_8)
    adapter, out = _run(store, clock)
    service = service_of(adapter)
    await service.sync_library(drafts(20))
    schedule_id = await _console_schedule(adapter)
    for day in range(3):
        clock.advance(timedelta(days=1))
        await service.post_now(schedule_id)
        await adapter.handle_line(f"my answer on day {day}")
    await service.close()

    assert out.getvalue().count("🔥 A 3-answer streak in this channel!") == 1
    await adapter.handle_line("/tigerbird me")
    assert "#console: streak 3 (best 3), 3 answers" in out.getvalue()
