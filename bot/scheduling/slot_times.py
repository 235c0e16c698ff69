"""Slot maths: when a ScheduleSpec fires, as UTC instants, computed one local date at a time.

Rules, in the schedule's own IANA zone:
- Rhythm: `cron` if set (evaluated on local dates and wall times; `times`/`days` ignored),
  else `every_days` = N (local dates anchor + k*N for any integer k; a missing anchor means
  1970-01-01), else the weekdays in `days` at each of `times`.
- Quiet dates suppress every slot scheduled on that local date.
- A wall time that does not exist (spring-forward gap) fires at the instant the gap ends;
  an ambiguous one (fall-back fold) fires once, at its first occurrence. Two slots that land
  on the same instant fire once. A local date skipped whole (Pacific/Apia, 2011-12-30) has
  no slots.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.domain import ScheduleSpec
from bot.scheduling.parse import (
    CronPattern,
    ScheduleError,
    build_spec,
    compile_cron,
    parse_cron,
    parse_days,
    parse_quiet_dates,
    parse_times,
    parse_timezone,
)

__all__ = [
    "ScheduleError",
    "build_spec",
    "local_time",
    "next_slot",
    "parse_cron",
    "parse_days",
    "parse_quiet_dates",
    "parse_times",
    "parse_timezone",
    "slots_between",
    "upcoming",
]

_DEFAULT_ANCHOR = date(1970, 1, 1)
# The sparsest cron that fires at all (Feb 29) can wait 8 years (2096 -> 2104): a forward
# scan gives up after this many non-quiet dates without a slot.
_MAX_DRY_DATES = 9 * 366
# A slot's instant can fall on another local date than the one it was scheduled for (a gap
# across midnight, a fold across midnight): scans start this many days wide of the window.
_SCAN_MARGIN_DAYS = 2
_ONE_DAY = timedelta(days=1)


def _zone(spec: ScheduleSpec) -> ZoneInfo:
    try:
        return ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            "timezone", f"{spec.timezone!r} is not an IANA time zone (e.g. Europe/Paris)"
        ) from None


def _shifted(day: date, days: int) -> date:
    """`day` moved by `days`, stopping at the ends of the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _as_utc(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {instant!r}")
    return instant.astimezone(UTC)


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _gap_end(naive: datetime, zone: ZoneInfo) -> datetime | None:
    """The first instant whose wall time is past `naive`, a wall time inside a gap.

    None when the gap swallows naive's whole date (Samoa skipped 2011-12-30): a date that
    never shows on the wall clock gets no slot.
    """
    # fold=1 reads the gap with the offset after the transition and fold=0 with the one
    # before: the two instants bracket the transition, found by bisection to the second.
    bounds = sorted(naive.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    low, high = int(bounds[0].timestamp()), int(bounds[1].timestamp()) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), zone) > naive:
            high = middle
        else:
            low = middle
    before, after = (datetime.fromtimestamp(second, UTC) for second in (low, high))
    if _wall(before, zone).date() < naive.date() < _wall(after, zone).date():
        return None
    return after


def _instant(day: date, wall_time: time, zone: ZoneInfo) -> datetime | None:
    """When `wall_time` on local date `day` happens; None if never (or past year 9999)."""
    naive = datetime.combine(day, wall_time.replace(tzinfo=None))
    try:
        first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)  # fold=0: first occurrence
        if _wall(first, zone) == naive:
            return first
        return _gap_end(naive, zone)
    except OverflowError:
        return None


def _local_date(instant: datetime, zone: ZoneInfo) -> date:
    try:
        return instant.astimezone(zone).date()
    except OverflowError:  # the zone's date is past the calendar's ends
        return date.max if instant.year > 1 else date.min


class _Rhythm:
    """Which local dates a spec fires on and at which wall times."""

    def __init__(self, spec: ScheduleSpec) -> None:
        self.spec = spec
        self.zone = _zone(spec)
        self.cron: CronPattern | None = compile_cron(spec.cron) if spec.cron else None
        self.times = self.cron.times if self.cron else tuple(sorted(set(spec.times)))
        self.anchor = spec.anchor or _DEFAULT_ANCHOR

    def never_fires(self) -> bool:
        if self.cron is not None:
            return False  # an impossible cron is rejected when compiled
        return not self.times or (self.spec.every_days is None and not self.spec.days)

    def dates(self, start: date, step: int) -> Iterator[date]:
        """Candidate dates from `start` onwards (step=1) or backwards (step=-1)."""
        every = self.spec.every_days
        day_step = _ONE_DAY * step
        try:
            day = start
            if self.cron is None and every is not None:
                offset = (start - self.anchor).days
                phase = -(-offset // every) if step > 0 else offset // every
                day = self.anchor + timedelta(days=phase * every)
                day_step *= every
            while True:
                yield day
                day += day_step
        except OverflowError:  # past date.min / date.max
            return

    def slots_on(self, day: date) -> list[datetime]:
        """The instants of the slots scheduled on this local date, in order."""
        if day in self.spec.quiet_dates:
            return []
        if self.cron is not None:
            fires = self.cron.matches(day)
        else:
            fires = self.spec.every_days is not None or day.weekday() in self.spec.days
        if not fires:
            return []
        instants = (_instant(day, wall_time, self.zone) for wall_time in self.times)
        return [instant for instant in instants if instant is not None]


def _forward(spec: ScheduleSpec, after: datetime) -> Iterator[datetime]:
    rhythm = _Rhythm(spec)
    if rhythm.never_fires():
        return
    last = _as_utc(after, "after")
    start = _shifted(_local_date(last, rhythm.zone), -_SCAN_MARGIN_DAYS)
    dry = 0
    for day in rhythm.dates(start, 1):
        found = False
        for slot in rhythm.slots_on(day):
            if slot > last:
                found, last = True, slot
                yield slot
        if not found and day not in spec.quiet_dates:
            dry += 1
            if dry > _MAX_DRY_DATES:
                return
        elif found:
            dry = 0


def next_slot(spec: ScheduleSpec, after: datetime) -> datetime | None:
    """The first slot strictly after `after` (aware, any zone), in UTC; None if it never fires."""
    return next(_forward(spec, after), None)


def upcoming(spec: ScheduleSpec, after: datetime, n: int) -> list[datetime]:
    """The next `n` slots strictly after `after`, in UTC, strictly increasing."""
    return list(islice(_forward(spec, after), max(n, 0)))


def slots_between(spec: ScheduleSpec, start: datetime, end: datetime, limit: int) -> list[datetime]:
    """The latest `limit` slots s with start < s <= end, in UTC, oldest first.

    Scans backwards from `end` one local date at a time, so a long window costs only the
    dates it takes to find `limit` slots (at most the window's length in days).
    """
    rhythm = _Rhythm(spec)
    low, high = _as_utc(start, "start"), _as_utc(end, "end")
    if limit <= 0 or high <= low or rhythm.never_fires():
        return []
    first_day = _shifted(_local_date(low, rhythm.zone), -_SCAN_MARGIN_DAYS)
    top_day = _shifted(_local_date(high, rhythm.zone), _SCAN_MARGIN_DAYS)
    found: list[datetime] = []
    for day in rhythm.dates(top_day, -1):
        if day < first_day:
            break
        for slot in reversed(rhythm.slots_on(day)):
            if low < slot <= high and (not found or slot < found[-1]):
                found.append(slot)
                if len(found) == limit:
                    return found[::-1]
    return found[::-1]


def local_time(spec: ScheduleSpec, slot: datetime) -> datetime:
    """The slot as a wall-clock datetime in the schedule's zone."""
    return _as_utc(slot, "slot").astimezone(_zone(spec))
