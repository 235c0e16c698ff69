"""`/tigerbird stats [30d|90d|all]`: a short summary of this channel plus a PNG chart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.analytics import Scope, StatsReport, build_report
from bot.analytics.lift_text import lift_line
from bot.core.domain import Schedule
from bot.core.invocations import CommandError
from bot.core.text import neutralise_mentions
from bot.learning.days_left import DaysLeft
from bot.service_layer.lift import CommunityLifts
from bot.service_layer.services import Tigerbird

PERIODS: dict[str, int | None] = {"30d": 30, "90d": 90, "all": None}
DEFAULT_PERIOD = "30d"


def parse_period(args: list[str]) -> str:
    """The period asked for; a clear error naming the allowed values otherwise."""
    period = (args[0] if args else DEFAULT_PERIOD).lower()
    if period not in PERIODS or len(args) > 1:
        given = neutralise_mentions(" ".join(args))
        raise CommandError(f"stats: '{given}' is not a period; use one of {', '.join(PERIODS)}")
    return period


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def summary(
    report: StatsReport,
    period: str,
    lifts: CommunityLifts | None = None,
    lasting: DaysLeft | None = None,
) -> str:
    """Best three prompts, best category, the trend and the policy's lift, in a few lines."""
    span = "all time" if period == "all" else f"last {PERIODS[period]} days"
    lines = [
        f"*Stats here, {span}:* {report.posts} prompt{'' if report.posts == 1 else 's'} posted · "
        f"engagement {percent(report.rate.value)} {report.arrow}"
    ]
    best = report.best(3)
    if best:
        lines.append("Best prompts:")
        lines += [
            f"{i}. {_short(p.text)} — {percent(p.rate.value)} "
            f"({p.times_posted}×, all communities {percent(report.pooled[p.prompt_id].value)})"
            for i, p in enumerate(best, 1)
        ]
    else:
        lines.append("No post has finished its 24-hour window yet.")
    measured = [c for c in report.categories if c.rate.audience]
    if measured:
        lines.append(f"Best category: {measured[0].category} ({percent(measured[0].rate.value)})")
    extras = []
    if report.median_first_response is not None:
        minutes = round(report.median_first_response.total_seconds() / 60)
        extras.append(f"first answer after {minutes} min (median)")
    if report.eligible_left is not None:
        extras.append(f"{report.eligible_left} prompts left before repeats")
    if lasting is not None:
        short = f" (shortest categories: {lasting.short_label()})" if lasting.low else ""
        extras.append(f"{lasting.label()} left before repeats{short}")
    if extras:
        text = " · ".join(extras)
        lines.append(text[0].upper() + text[1:])
    if lifts is not None and report.scope.community_id is not None:
        here = lifts.of(report.scope.community_id)
        lines.append(lift_line(here, "in this community (all time)"))
        lines.append(lift_line(lifts.overall, "in all communities"))
    return neutralise_mentions("\n".join(lines))


async def channel_report(service: Tigerbird, schedule: Schedule, period: str) -> StatsReport:
    days = PERIODS[period]
    now = service.now()
    since = None if days is None else now - timedelta(days=days)
    history = await service.history(schedule.community_id, since)
    scope = Scope(schedule.community_id, schedule.channel, since, f"#{schedule.channel}")
    eligible = await service.eligible_count(schedule.id)
    return build_report(history, scope, now, eligible)


async def channel_stats(
    service: Tigerbird, schedule: Schedule, args: list[str]
) -> tuple[str, bytes]:
    """The chat answer to `stats [period]` in the schedule's channel: text and PNG."""
    period = parse_period(args)
    report = await channel_report(service, schedule, period)
    lifts = await service.lifts()
    lasting = await service.days_left(schedule.id)
    # Drawing takes a few hundred milliseconds: keep the event loop free meanwhile.
    from bot.analytics.charts import report_chart  # matplotlib only when a chart is drawn

    text = summary(report, period, lifts, lasting)
    return text, await asyncio.to_thread(report_chart, report)
