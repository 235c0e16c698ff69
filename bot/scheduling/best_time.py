"""The best local hour to post, from a channel's hourly activity (distinct members seen per
UTC hour, bot.core.activity_hours). The method is in docs/analytics.md:

Each UTC hour is read on the schedule's wall clock (DST-correct: a summer and a winter day both
put 09:00 local in the 09:00 bucket). For every local hour of the day, the mean number of
members seen in that hour per day is taken over the complete local days the data covers (a
day without anyone at that hour counts as 0), with its standard error across days. The best
hour has the highest mean; it is compared with the hour of the schedule's current slot.
Expected responders = that mean × the channel's response rate (responders / audience).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.domain import ScheduleSpec
from bot.scheduling.cron import compile_cron

WINDOW = timedelta(weeks=8)  # what the suggestion reads: recent enough to follow drift
MIN_DAYS = 7  # fewer complete days than this: no suggestion at all
MODERATE_WEEKS, GOOD_WEEKS = 2, 4
DIGEST_GAIN = 0.20  # the digest suggests a move that gains at least this much
HOURS = range(24)


@dataclass(frozen=True)
class HourActivity:
    """One local hour of the day: mean members seen in it per day, and that mean's error."""

    hour: int
    mean: float
    error: float

    def expected(self, rate: float | None) -> float | None:
        """Expected responders to a post at this hour, given the channel's response rate."""
        return None if rate is None else self.mean * rate


@dataclass(frozen=True)
class BestTime:
    hours: tuple[HourActivity, ...]  # 0..23, local
    best: HourActivity
    current: HourActivity
    days: int  # complete local days of data the means rest on
    rate: float | None  # responders / audience over the window's posts (None: no outcome)

    @property
    def weeks(self) -> float:
        return self.days / 7

    @property
    def gain(self) -> float | None:
        """Relative gain in active members of moving to the best hour (None: nobody now)."""
        if self.current.mean <= 0:
            return None if self.best.mean <= 0 else math.inf
        return self.best.mean / self.current.mean - 1

    @property
    def credible(self) -> bool:
        """The best hour beats the current one by more than twice the day-to-day noise."""
        noise = math.hypot(self.best.error, self.current.error)
        return self.best.mean - self.current.mean > 2 * noise

    @property
    def confidence(self) -> str:
        if self.weeks >= GOOD_WEEKS:
            return "good"
        return "moderate" if self.weeks >= MODERATE_WEEKS else "low"

    @property
    def worth_a_digest_line(self) -> bool:
        gain = self.gain
        return (
            self.best.hour != self.current.hour
            and gain is not None
            and gain >= DIGEST_GAIN
            and self.weeks >= MODERATE_WEEKS
            and self.credible
        )


def slot_hour(spec: ScheduleSpec) -> int:
    """The local hour of the schedule's first daily slot (a cron's first time)."""
    times: Sequence[time] = compile_cron(spec.cron).times if spec.cron else spec.times
    return min(times).hour if times else 0


def _mean_and_error(values: Sequence[int]) -> tuple[float, float]:
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, math.inf
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(variance / n)


def best_time(
    hourly: Sequence[tuple[datetime, int]],
    spec: ScheduleSpec,
    now: datetime,
    rate: float | None = None,
) -> BestTime | None:
    """The best local hour from `hourly` (UTC hour start, members); None with fewer than
    MIN_DAYS complete local days of data. Days run from the first one with activity to
    yesterday (local), at most WINDOW back."""
    zone = ZoneInfo(spec.timezone)
    today = now.astimezone(zone).date()
    first_allowed = (now - WINDOW).astimezone(zone).date()
    per_day: dict[tuple[date, int], int] = {}
    for hour_at, members in hourly:
        local = hour_at.astimezone(zone)
        if first_allowed <= local.date() < today:
            key = (local.date(), local.hour)  # a fall-back hour read twice adds up
            per_day[key] = per_day.get(key, 0) + members
    if not per_day:
        return None
    start = min(day for day, _ in per_day)
    days = [start + timedelta(days=i) for i in range((today - start).days)]
    if len(days) < MIN_DAYS:
        return None
    hours = tuple(
        HourActivity(h, *_mean_and_error([per_day.get((d, h), 0) for d in days])) for h in HOURS
    )
    best = max(hours, key=lambda a: (a.mean, -a.hour))
    return BestTime(hours, best, hours[slot_hour(spec)], len(days), rate)
