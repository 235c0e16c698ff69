"""The weekly digest: opt-in settings, firing on its local day and time, once, with content."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.analytics.digest import DigestRunner, digest_due, digest_tick
from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName, Schedule
from bot.core.invocations import Invocation
from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.test_analytics_history import DAY0, seed_history

MANAGER = Invocation(PlatformName.SLACK, "T1", "C1", "U1", member_is_admin=True)


async def c1_schedule(store: UnitOfWorkFactory) -> Schedule:
    async with store() as u:
        [schedule] = [s for s in await u.schedules.all() if s.channel == "C1"]
    return schedule


async def test_digest_settings_from_chat(store: UnitOfWorkFactory) -> None:
    await seed_history(store)
    clock = FrozenClock(DAY0)
    service, _ = make_service(store, clock)
    commands = ChatCommands(service)

    assert (await commands.run(MANAGER, "settings digest on")).text == "digest set to on."
    await commands.run(MANAGER, "settings digest-day Monday")
    await commands.run(MANAGER, "settings digest-time 7:30")
    bad_day = await commands.run(MANAGER, "settings digest-day someday")
    bad_time = await commands.run(MANAGER, "settings digest-time 25:00")

    schedule = await c1_schedule(store)
    assert (schedule.digest, schedule.digest_weekday, schedule.digest_time) == (
        True,
        0,
        time(7, 30),
    )
    assert schedule.last_digest_at == DAY0
    assert bad_day.text == "digest-day: 'someday' must be one of mon, tue, wed, thu, fri, sat, sun"
    assert bad_time.text == "digest-time: '25:00' must be a time like 17:00"
    assert "digest mon 07:30 UTC" in (await commands.run(MANAGER, "settings")).text


async def test_digest_fires_on_its_local_day_and_time_once(store: UnitOfWorkFactory) -> None:
    await seed_history(store)
    start = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)  # Thursday; the fixture week has closed
    clock = FrozenClock(start)
    service, platform = make_service(store, clock)
    commands = ChatCommands(service)
    await commands.run(MANAGER, "settings digest on")
    await commands.run(MANAGER, "settings digest-day mon")
    await commands.run(MANAGER, "settings digest-time 17:00")
    schedule = await c1_schedule(store)
    paris = Schedule(
        **{**schedule.__dict__, "spec": schedule.spec.__class__(timezone="Europe/Paris")}
    )
    await service.update_schedule(paris)

    sent_at: list[datetime] = []
    for _ in range(24 * 9):  # hour by hour, Thursday noon to the Saturday after next
        clock.advance(timedelta(hours=1))
        if await digest_tick(service):
            sent_at.append(clock.now())

    # Monday 9 March, 17:00 in Paris (CET) = 16:00 UTC; once only.
    assert sent_at == [datetime(2026, 3, 9, 16, 0, tzinfo=UTC)]
    [(community, text)] = platform.notices
    assert community == "T1"
    assert text.splitlines() == [
        "Tigerbird weekly digest for #C1 (week to Mon 09 Mar):",
        # The week is Mon 2 Mar 16:00 UTC to Mon 9 Mar 16:00: the 09:00 post of 2 March was
        # the week before. Question 1 and 2 tie at 1/10; the lower prompt id wins the tie.
        "Best prompt: Question 1? — 10.0% answered.",
        "Engagement 8.7% this week vs 20.0% over the previous 4 weeks.",
        "Only 0 prompts left before repeats: add some with `/tigerbird add` or ask members "
        "to `/tigerbird suggest`.",
        # bot.learning.days_left: every prompt of the library was posted within the window
        "Library: 0 days left before repeats (shortest categories: big-questions (1), "
        "small-joys (2)).",
        # The seeded posts predate pick provenance: no lift to show yet.
        "Lift over random picks in this community (all time): not enough data yet: "
        "needs 20 policy and 20 holdout posts (0 posts)",
    ]


async def test_a_second_worker_does_not_send_it_again(store: UnitOfWorkFactory) -> None:
    await seed_history(store)
    clock = FrozenClock(DAY0 - timedelta(days=1))
    service, platform = make_service(store, clock)
    await ChatCommands(service).run(MANAGER, "settings digest on")
    stale = await c1_schedule(store)  # what a second worker read before the first one sent
    clock.set(DAY0 + timedelta(days=7, hours=1))  # Monday 10:00 UTC, digest at 09:00

    assert await DigestRunner(service).run_due(clock.now()) == 1
    assert digest_due(stale, clock.now()) is not None
    other, other_platform = make_service(store, clock)
    assert await DigestRunner(other).run_due(clock.now()) == 0
    assert len(platform.notices) == 1 and other_platform.notices == []


async def test_off_or_too_late_sends_nothing(store: UnitOfWorkFactory) -> None:
    await seed_history(store)
    clock = FrozenClock(DAY0 - timedelta(days=1))
    service, platform = make_service(store, clock)
    assert await digest_tick(service) == 0  # off by default
    await ChatCommands(service).run(MANAGER, "settings digest on")
    clock.set(DAY0 + timedelta(days=2))  # the Monday 09:00 digest is two days late
    assert await digest_tick(service) == 0
    assert platform.notices == []
