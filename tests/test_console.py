"""The console channel as a faithful demo: text is shown as typed, ids stay unique across
runs, a restart keeps the reactions typed before it, and a line before any post gets a hint."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, time, timedelta

import numpy as np
import pytest

from adapters.console.adapter import ConsoleAdapter
from adapters.console.translate import CHANNEL, COMMUNITY
from bot.app.cli.logs import LIBRARIES, configure_logging
from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName, PromptDraft, ScheduleSpec
from bot.core.ports import NewSchedule, Platform, UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer
from bot.engagement.members import MemberKeys
from bot.learning.selection import UniformPolicy
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FrozenClock
from tests.helpers import drafts

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TRICKY = "Which is braver, [/x] or [bold]shouting[/bold]? :tiger: [link=http://x]y[/link]"


def _run(store: UnitOfWorkFactory, clock: FrozenClock) -> tuple[ConsoleAdapter, io.StringIO]:
    """One `tigerbird run` of the console over `store`: a fresh adapter, as after a restart."""
    platforms: dict[PlatformName, Platform] = {}
    policy = UniformPolicy(np.random.default_rng(1))
    deliverer = Deliverer(store, platforms, policy, clock)
    service = Tigerbird(store, platforms, policy, clock, MemberKeys(b"k"), deliverer)
    out = io.StringIO()
    adapter = ConsoleAdapter(service, ChatCommands(service), io.StringIO(), out)
    platforms[PlatformName.CONSOLE] = adapter.platform
    return adapter, out


def service_of(adapter: ConsoleAdapter) -> Tigerbird:
    """The service the console adapter was handed (it sees it only as a ConsoleEntry)."""
    service = adapter._service
    assert isinstance(service, Tigerbird)
    return service


async def _console_schedule(adapter: ConsoleAdapter) -> int:
    spec = ScheduleSpec(times=(time(9, 0),), timezone="Europe/Paris")
    schedule, _ = await service_of(adapter).add_schedule(
        PlatformName.CONSOLE, COMMUNITY, NewSchedule(0, CHANNEL, spec)
    )
    return schedule.id


async def test_markup_in_a_prompt_and_in_replies_is_shown_as_typed() -> None:
    from bot.testing.memory import MemoryStore

    store = MemoryStore()
    adapter, out = _run(store, FrozenClock(MONDAY_8))
    await service_of(adapter).sync_library([PromptDraft("t/tricky", TRICKY, "playful")])
    schedule_id = await _console_schedule(adapter)
    post = await service_of(adapter).post_now(schedule_id)
    assert post is not None and post.status.value == "sent"
    assert "[/x]" in out.getvalue() and "[bold]shouting[/bold]" in out.getvalue()
    assert ":tiger:" in out.getvalue() and "[link=http://x]" in out.getvalue()
    await adapter.handle_line("/tigerbird help")
    assert "[Europe/Paris]" in out.getvalue()
    assert "`here 09:00[,17:30] [Europe/Paris] [mon-fri]`" in out.getvalue()
    assert "`preview [n]`" in out.getvalue() and "[#category]" in out.getvalue()
    await adapter.platform.notify_managers(COMMUNITY, "[/red] from a pack")
    assert "[/red] from a pack" in out.getvalue()


async def test_a_restart_keeps_ids_unique_and_the_reactions_typed_before_it(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(MONDAY_8)
    first, _ = _run(store, clock)
    await service_of(first).sync_library(drafts(20))
    schedule_id = await _console_schedule(first)
    await service_of(first).post_now(schedule_id)
    await first.handle_line("+🐯")
    await first.handle_line("I would be a tiger")
    await service_of(first).close()

    clock.advance(timedelta(minutes=5))
    second, _ = _run(store, clock)  # a new process: nothing printed yet
    assert await service_of(second).catch_up_reactions() == 0
    await second.handle_line("+🐦")  # still answers the post of the first run
    await service_of(second).post_now(schedule_id)
    await second.handle_line("+🦊")
    await service_of(second).close()

    old, new = sorted(await service_of(second).posts_of(schedule_id), key=lambda p: p.slot_at)
    assert old.message_id != new.message_id
    async with store() as u:
        on_old = sorted((kind.value, e) for _, kind, e, _ in await u.responses.for_post(old.id))
        on_new = sorted((kind.value, e) for _, kind, e, _ in await u.responses.for_post(new.id))
    assert on_old == [("reaction", "🐦"), ("reaction", "🐯"), ("reply", "")]
    assert on_new == [("reaction", "🦊")]


async def test_a_line_before_any_post_gets_a_hint_with_the_next_prompt() -> None:
    from bot.testing.memory import MemoryStore

    adapter, out = _run(MemoryStore(), FrozenClock(MONDAY_8))
    await service_of(adapter).sync_library(drafts(20))
    await _console_schedule(adapter)
    await adapter.handle_line("hello?")
    await adapter.handle_line("+🐯")
    text = " ".join(out.getvalue().split())  # unwrapped
    assert text.count("There is no prompt to answer yet.") == 2
    # 09:00 in Paris on Monday 2 March 2026 is 08:00 UTC, which is now: the next is Tuesday
    assert "The next prompt comes Tue 03 Mar 09:00 Europe/Paris in #console" in text
    assert "`/tigerbird now` posts one at once." in text


@pytest.fixture
def library_levels() -> object:
    saved = {name: logging.getLogger(name).level for name in LIBRARIES}
    yield saved
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("library_levels")
def test_libraries_log_from_warning_unless_debug() -> None:
    configure_logging("INFO")
    for name in ("alembic.runtime.migration", "apscheduler.executors.default", "discord.gateway"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
        assert logging.getLogger(name).isEnabledFor(logging.WARNING), name
    configure_logging("ERROR")
    assert not logging.getLogger("slack_sdk.socket_mode").isEnabledFor(logging.WARNING)
    configure_logging("DEBUG")
    assert logging.getLogger("apscheduler.scheduler").isEnabledFor(logging.DEBUG)
