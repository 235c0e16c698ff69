"""Analytics of one community: the report managers get in chat (`/tigerbird stats`) for the
whole community — best prompts with their 90 % credible intervals and the all-communities
rate, categories, the weekly trend — with the same matplotlib chart as a PNG in the page, and
the per-prompt table as CSV. Reports are kept for a minute per (community, period), so that
paging back and forth and the chart and CSV beside the page do not re-read the history."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.manage import management_of
from adapters.web.render import render
from adapters.web.state import dashboard_of
from bot.analytics import Scope, StatsReport, build_report
from bot.analytics.tables import PROMPT_COLUMNS, prompt_rows
from bot.chat.stats_command import PERIODS, percent
from bot.core.authz import Caller

routes = web.RouteTableDef()
NAV = ("/analytics", "Analytics")
SHOWN = 10


def _period(request: web.Request) -> str:
    period = request.query.get("period", "30d")
    if period not in PERIODS:
        raise web.HTTPBadRequest(text=f"period: '{period}' is not one of {', '.join(PERIODS)}")
    return period


async def report_for(request: web.Request, caller: Caller, period: str) -> StatsReport:
    """The community's report for the period (kept a minute, see adapters.web.reports)."""
    management_of(request).access.require_manager(caller)
    service = dashboard_of(request).service

    async def make() -> StatsReport:
        now = service.now()
        days = PERIODS[period]
        since = None if days is None else now - timedelta(days=days)
        history = await service.history(caller.community.id, since)
        label = caller.community.name or caller.community.external_id
        return build_report(history, Scope(caller.community.id, None, since, label), now)

    return await dashboard_of(request).reports.reports.get((caller.community.id, period), make)


@routes.get("/c/{community_id}/analytics")
async def analytics_page(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    period = _period(request)
    report = await report_for(request, caller, period)
    best = report.best(SHOWN)
    intervals = {p.prompt_id: p.rate.interval for p in best}
    return await render(
        request,
        "analytics.html",
        caller=caller,
        report=report,
        period=period,
        periods=list(PERIODS),
        best=best,
        intervals=intervals,
        categories=[c for c in report.categories if c.times_posted],
        weeks=report.weeks[-12:],
        percent=percent,
    )


@routes.get("/c/{community_id}/analytics/chart.png")
async def analytics_chart(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    period = _period(request)

    async def draw() -> bytes:
        report = await report_for(request, caller, period)
        from bot.analytics.charts import report_chart  # matplotlib only when a chart is drawn

        return await asyncio.to_thread(report_chart, report)

    charts = dashboard_of(request).reports.charts
    png = await charts.get((caller.community.id, period), draw)
    return web.Response(body=png, content_type="image/png")


@routes.get("/c/{community_id}/analytics.csv")
async def analytics_csv(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    period = _period(request)

    async def table() -> str:
        report = await report_for(request, caller, period)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(PROMPT_COLUMNS))
        writer.writeheader()
        writer.writerows(prompt_rows(report))
        return buffer.getvalue()

    tables = dashboard_of(request).reports.tables
    return web.Response(
        text=await tables.get((caller.community.id, period), table),
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="tigerbird-stats-{period}.csv"'},
    )
