"""Properties of the slot maths over many zones, rhythms and instants (hypothesis)."""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.core.domain import ScheduleSpec
from bot.scheduling.slot_times import local_time, next_slot, slots_between, upcoming

ZONES = sorted(available_timezones())
# zones that shift their clocks, with the odd ones this code must get right
DST_ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Asia/Beirut",
    "Pacific/Chatham",
    "Europe/Dublin",
    "Africa/Casablanca",
    "America/St_Johns",
    "Antarctica/Troll",
    "Pacific/Apia",
    "America/Goose_Bay",
]
FAST = settings(max_examples=150, deadline=None)

zones = st.sampled_from(ZONES)
instants = st.datetimes(
    min_value=datetime(1950, 1, 1),
    max_value=datetime(2080, 1, 1),
    timezones=st.timezones(),
    allow_imaginary=False,
)
wall_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@st.composite
def specs(draw: st.DrawFn, after: datetime) -> ScheduleSpec:
    """Any rhythm, with a few quiet dates near `after` so that they matter."""
    near = after.astimezone(UTC).date()
    quiet = draw(st.frozensets(st.integers(-1, 10), max_size=4))
    rhythm = draw(st.sampled_from(["weekly", "every", "cron"]))
    base = ScheduleSpec(
        times=tuple(draw(st.lists(wall_times, min_size=1, max_size=4, unique=True))),
        timezone=draw(zones),
        quiet_dates=frozenset(near + timedelta(days=offset) for offset in quiet),
    )
    if rhythm == "weekly":
        days = draw(st.frozensets(st.integers(0, 6), min_size=1))
        return ScheduleSpec(base.times, base.timezone, days, quiet_dates=base.quiet_dates)
    if rhythm == "every":
        every = draw(st.integers(1, 40))
        anchor = draw(st.dates(date(1950, 1, 1), date(2080, 1, 1)))
        return ScheduleSpec(
            base.times, base.timezone, every_days=every, anchor=anchor, quiet_dates=base.quiet_dates
        )
    cron = draw(st.sampled_from(["*/30 */5 * * *", "0 9 * * mon-fri", "15 6,18 1,15 * sun"]))
    return ScheduleSpec(timezone=base.timezone, cron=cron, quiet_dates=base.quiet_dates)


def exists(naive: datetime, zone: ZoneInfo) -> bool:
    instant = naive.replace(tzinfo=zone).astimezone(UTC)
    return instant.astimezone(zone).replace(tzinfo=None) == naive


def wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def occurrences(asked: datetime, zone: ZoneInfo, near: datetime) -> list[datetime]:
    """Every instant within a day of `near` whose wall time is `asked`."""
    offsets = {(near + timedelta(hours=h)).astimezone(zone).utcoffset() for h in range(-26, 27)}
    candidates = [(asked - offset).replace(tzinfo=UTC) for offset in offsets if offset is not None]
    return [instant for instant in candidates if wall(instant, zone) == asked]


def local_dates_between(first: datetime, last: datetime, zone: ZoneInfo) -> set[date]:
    """Every local date shown by the wall clock from `first` to `last` (half-hour steps)."""
    steps = int((last - first) / timedelta(minutes=30)) + 1
    return {wall(first + timedelta(minutes=30 * n), zone).date() for n in range(steps + 1)}


@FAST
@given(data=st.data(), after=instants)
def test_slots_strictly_increase_and_agree_with_next_slot(
    data: st.DataObject, after: datetime
) -> None:
    spec = data.draw(specs(after))
    slots = upcoming(spec, after, 6)
    assert len(slots) == 6
    assert all(slot.tzinfo is UTC for slot in slots)
    assert slots[0] > after
    assert all(earlier < later for earlier, later in itertools.pairwise(slots))
    assert next_slot(spec, after) == slots[0]
    for earlier, later in itertools.pairwise(slots):
        assert next_slot(spec, earlier) == later
        assert next_slot(spec, later - timedelta(microseconds=1)) == later
    quiet = spec.quiet_dates
    assert not any(local_time(spec, slot).date() in quiet for slot in slots)


@FAST
@given(data=st.data(), after=instants)
def test_slots_between_agrees_with_upcoming(data: st.DataObject, after: datetime) -> None:
    spec = data.draw(specs(after))
    slots = upcoming(spec, after, 6)
    limit = data.draw(st.integers(1, 8))
    assert slots_between(spec, after, slots[-1], limit) == slots[-limit:]
    assert slots_between(spec, after, slots[-1] - timedelta(microseconds=1), 8) == slots[:-1]
    assert slots_between(spec, slots[0], slots[-1], 8) == slots[1:]


def assert_daily(spec: ScheduleSpec, at: time, slots: list[datetime]) -> None:
    """One slot per local date that the wall clock shows, at `at` or where its gap ends."""
    zone = ZoneInfo(spec.timezone)
    for slot in slots:
        local = wall(slot, zone)
        asked = datetime.combine(local.date(), at)
        if exists(asked, zone):
            assert local == asked
            assert slot == min(occurrences(asked, zone, near=slot))
        else:
            # in a gap: fires at the first instant past the asked wall time
            assert local > asked
            assert wall(slot - timedelta(seconds=1), zone) < asked
    dated = [(slot, wall(slot, zone).date()) for slot in slots]
    for (first, first_date), (last, last_date) in itertools.pairwise(dated):
        assert first_date < last_date
        shown = local_dates_between(first, last, zone)
        assert not {day for day in shown if first_date < day < last_date}


@FAST
@given(zone_name=zones, at=wall_times, after=instants)
def test_daily_fires_once_on_each_local_date_at_the_asked_wall_time(
    zone_name: str, at: time, after: datetime
) -> None:
    spec = ScheduleSpec(times=(at,), timezone=zone_name)
    assert_daily(spec, at, upcoming(spec, after, 5))


@functools.cache
def transitions(zone_name: str, year: int) -> tuple[datetime, ...]:
    """The instants (to the second) at which the zone's UTC offset changed that year."""
    zone = ZoneInfo(zone_name)
    found = []
    for day in range(366):
        low = datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day)
        high = low + timedelta(days=1)
        if low.astimezone(zone).utcoffset() == high.astimezone(zone).utcoffset():
            continue
        low_s, high_s = int(low.timestamp()), int(high.timestamp())
        while high_s - low_s > 1:
            middle = (low_s + high_s) // 2
            moment = datetime.fromtimestamp(middle, UTC)
            if moment.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                low_s = middle
            else:
                high_s = middle
        found.append(datetime.fromtimestamp(high_s, UTC))
    return tuple(found)


@FAST
@given(
    zone_name=st.sampled_from(DST_ZONES),
    year=st.integers(1970, 2060),
    pick=st.integers(0, 5),
    wall_shift=st.integers(-90, 90),
    lead=st.integers(0, 3 * 24 * 60),
)
def test_daily_near_transitions(
    zone_name: str, year: int, pick: int, wall_shift: int, lead: int
) -> None:
    changes = transitions(zone_name, year)
    assume(changes)
    change = changes[pick % len(changes)]
    zone = ZoneInfo(zone_name)
    # a wall time close to the one at which the clocks change, inside the gap or fold often
    before = wall(change - timedelta(seconds=1), zone) + timedelta(seconds=1)
    at = (before + timedelta(minutes=wall_shift)).time().replace(second=0)
    spec = ScheduleSpec(times=(at,), timezone=zone_name)
    slots = upcoming(spec, change - timedelta(minutes=lead), 5)
    assert_daily(spec, at, slots)
    assert slots_between(spec, change - timedelta(minutes=lead), slots[-1], 5) == slots


@FAST
@given(
    zone_name=zones,
    every=st.integers(1, 30),
    anchor=st.dates(date(1960, 1, 1), date(2070, 1, 1)),
    after=instants,
)
def test_every_days_fires_on_anchor_plus_multiples(
    zone_name: str, every: int, anchor: date, after: datetime
) -> None:
    spec = ScheduleSpec(times=(time(12),), timezone=zone_name, every_days=every, anchor=anchor)
    slots = upcoming(spec, after, 4)
    local_dates = [local_time(spec, slot).date() for slot in slots]
    assert all((day - anchor).days % every == 0 for day in local_dates)
    assert all((b - a).days == every for a, b in itertools.pairwise(local_dates))
