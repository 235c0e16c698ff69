"""The weekly digest: on each opted-in schedule's day and time, its managers hear the week's
best prompt and best answer, engagement against the four weeks before, the library's days
left before repeats and whether it runs low.

Sent privately through `Platform.notify_managers`. Each digest is claimed once in the state
table (`digest:<schedule>:<due instant>`) before it is sent, so several workers never send it
twice; a crash between the claim and the send loses that week's digest rather than repeating it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.analytics.best_time_text import digest_line
from bot.analytics.lift_text import lift_line
from bot.analytics.report import Scope, build_report
from bot.core.domain import Schedule
from bot.core.history import History
from bot.core.ports import PlatformError
from bot.core.rituals import BestAnswer
from bot.core.text import neutralise_mentions
from bot.learning.days_left import DaysLeft
from bot.learning.lift import LiftReport
from bot.learning.selection import LOW_LIBRARY_THRESHOLD
from bot.service_layer.services import Tigerbird

log = logging.getLogger(__name__)
WEEK = timedelta(days=7)
# A digest more than this late (the bot was down) is dropped; next week's comes as usual.
GRACE = timedelta(days=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def last_due(schedule: Schedule, now: datetime) -> datetime:
    """The latest digest instant at or before `now`, in UTC (the schedule's local day/time)."""
    zone = ZoneInfo(schedule.spec.timezone)
    local = now.astimezone(zone)
    back = (local.weekday() - schedule.digest_weekday) % 7
    day = local.date() - timedelta(days=back)
    due = datetime.combine(day, schedule.digest_time, tzinfo=zone)
    if due > local:
        due = datetime.combine(day - WEEK, schedule.digest_time, tzinfo=zone)
    return due.astimezone(UTC)


def digest_due(schedule: Schedule, now: datetime) -> datetime | None:
    """The digest instant to send now, or None (off, already sent, or too late)."""
    if not schedule.digest:
        return None
    due = last_due(schedule, now)
    if now - due > GRACE:
        return None
    if schedule.last_digest_at is not None and schedule.last_digest_at >= due:
        return None
    return due


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _between(history: History, schedule: Schedule, start: datetime, end: datetime) -> History:
    posts = history.where(schedule.community_id, schedule.channel, start)
    return History(
        history.prompts, history.communities, tuple(p for p in posts if p.posted_at < end)
    )


def digest_text(
    history: History,
    schedule: Schedule,
    due: datetime,
    now: datetime,
    eligible_left: int,
    lift: LiftReport | None = None,
    best_time: str | None = None,
    lasting: DaysLeft | None = None,
    best_answers: Sequence[BestAnswer] = (),
) -> str:
    """The digest of the week before `due` for one schedule's channel; `best_time` is the
    best-time suggestion (bot.analytics.best_time_text.digest_line), if a move is worth it;
    `best_answers` are the week's featured replies, most reacted first."""
    week = build_report(_between(history, schedule, due - WEEK, due), Scope(), now)
    earlier = build_report(_between(history, schedule, due - 5 * WEEK, due - WEEK), Scope(), now)
    lines = [f"Tigerbird weekly digest for #{schedule.channel} (week to {due:%a %d %b}):"]
    best = week.best(1)
    if best:
        lines.append(f"Best prompt: {best[0].text} — {_percent(best[0].rate.value)} answered.")
    else:
        lines.append(f"{week.posts} prompts posted; none has a closed 24-hour window yet.")
    lines.append(
        f"Engagement {_percent(week.rate.value)} this week vs "
        f"{_percent(earlier.rate.value)} over the previous 4 weeks."
    )
    if best_answers:
        lines.append(best_answer_line(best_answers[0]))
    if eligible_left < LOW_LIBRARY_THRESHOLD:
        lines.append(
            f"Only {eligible_left} prompts left before repeats: add some with "
            "`/tigerbird add` or ask members to `/tigerbird suggest`."
        )
    if lasting is not None:
        short = f" (shortest categories: {lasting.short_label()})" if lasting.low else ""
        lines.append(f"Library: {lasting.label()} left before repeats{short}.")
    if lift is not None:
        lines.append(lift_line(lift, "in this community (all time)"))
    if best_time:
        lines.append(best_time)
    return neutralise_mentions("\n".join(lines))


def best_answer_line(best: BestAnswer) -> str:
    """The week's best answer (member text: the whole digest's mentions are neutralised)."""
    count = f"{best.reactions} reaction{'s' if best.reactions != 1 else ''}"
    text = " ".join((best.text or "").split())
    if not text:
        return f"Best answer: a reply with {count} (its text is no longer kept)."
    return f"Best answer: “{text[:300]}” ({count})."


class DigestRunner:
    """Sends every digest that is due; the scheduler calls `run_due` on each safety tick."""

    def __init__(self, service: Tigerbird) -> None:
        self.service = service

    async def run_due(self, now: datetime) -> int:
        """Send the digests due at `now`; returns how many were sent."""
        due = [
            (s, at)
            for s in await self.service.list_schedules()
            if (at := digest_due(s, now)) is not None
        ]
        if not due:
            return 0
        history = await self.service.history()
        sent = 0
        for schedule, at in due:
            key = f"digest:{schedule.id}:{at.isoformat()}"
            if await self.service.claim_digest(schedule.id, key, secrets.token_hex(8), now):
                sent += await self._send(history, schedule, at, now)
        return sent

    async def _send(
        self, history: History, schedule: Schedule, due: datetime, now: datetime
    ) -> int:
        eligible = await self.service.eligible_count(schedule.id)
        lift = await self.service.lift(schedule.community_id)
        move = digest_line(await self.service.best_time(schedule.id), schedule.spec.timezone)
        lasting = await self.service.days_left(schedule.id)
        best = await self.service.best_answers_between(schedule, due - WEEK, due)
        text = digest_text(history, schedule, due, now, eligible, lift, move, lasting, best)
        try:
            told = await self.service.tell_managers(schedule.community_id, text)
        except PlatformError as error:
            log.warning("digest for schedule %d not sent: %s", schedule.id, error)
            return 0
        return 1 if told else 0


async def digest_tick(service: Tigerbird) -> int:
    """Send the weekly digests due now (call it from the scheduler's safety tick)."""
    return await DigestRunner(service).run_due(service.now())
