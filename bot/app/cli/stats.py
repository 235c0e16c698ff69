"""`tigerbird stats`: what engages, as a table, a CSV file and a PNG chart."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.analytics import History, Scope, StatsReport, build_report
from bot.analytics.lift_text import lift_line
from bot.analytics.tables import PROMPT_COLUMNS, prompt_rows, write_csv
from bot.analytics.wordings import wording_report
from bot.app.bootstrap import Core
from bot.app.cli.common import (
    fail,
    load_settings,
    out,
    run_with_core,
    writable_file,
    write_or_fail,
)
from bot.service_layer.wordings import WordingManagement

app = typer.Typer(help="Engagement statistics.", invoke_without_command=True)


def parse_since(text: str, now: datetime) -> datetime | None:
    """`90d`, `12w`, `all` or a date (YYYY-MM-DD) into the earliest instant to include."""
    if text == "all":
        return None
    found = re.fullmatch(r"(\d{1,4})([dw])", text)
    if found:
        days = int(found[1]) * (7 if found[2] == "w" else 1)
        return now - timedelta(days=days)
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    except ValueError:
        fail(f"--since: '{text}' must be like 30d, 12w, all or 2026-01-31")


def _community_id(history: History, wanted: str) -> int:
    for info in history.communities.values():
        if wanted in (str(info.id), info.external_id, info.name):
            return info.id
    known = ", ".join(f"{c.external_id} ({c.name})" for c in history.communities.values())
    fail(f"--community: no community '{wanted}'; known: {known or 'none yet'}")


async def _wording_lines(core: Core, report: StatsReport) -> list[str]:
    """One line per reported prompt that has variants: each wording's rate over every
    community (as the wording policy pools them) and the verdict."""
    shown = {p.prompt_id for p in report.prompts}
    tested = [p for p in await core.service.list_prompts() if p.variants and p.id in shown]
    access = core.commands.access
    manage = WordingManagement(core.uow, access, core.service.audit_trail(access))
    lines = []
    for prompt in tested:
        wordings = wording_report(await manage.everywhere(prompt.id))
        rates = " · ".join(
            f"{w.label} {'–' if w.rate is None else f'{100 * w.rate:.1f}%'}"
            for w in wordings.wordings
        )
        lines.append(f"#{prompt.id}: {rates}. {wordings.verdict()}")
    return lines


async def _report(
    core: Core, community: str | None, channel: str | None, since: str
) -> tuple[StatsReport, list[str]]:
    now = core.service.now()
    history = await core.service.history()
    community_id = _community_id(history, community) if community else None
    label = " ".join(
        part for part in (community and f"{community}", channel and f"#{channel}") if part
    )
    scope = Scope(community_id, channel, parse_since(since, now), label or "all communities")
    eligible = None
    if community_id is not None and channel is not None:
        found = await core.service.list_schedules(community_id)
        here = [s for s in found if s.channel == channel]
        eligible = await core.service.eligible_count(here[0].id) if here else None
    report = build_report(history, scope, now, eligible)
    lines = await _lift_lines(core, history, community_id)
    wordings = await _wording_lines(core, report)
    if wordings:
        lines += ["A/B wordings (all communities; `tigerbird prompts wordings ID` for more):"]
        lines += wordings
    return report, lines


async def _lift_lines(core: Core, history: History, community_id: int | None) -> list[str]:
    """The policy's lift over random (all time): overall, then per community."""
    lifts = await core.service.lifts()
    lines = [lift_line(lifts.overall, "in all communities")]
    for info in history.communities.values():
        if community_id in (None, info.id):
            lines.append(lift_line(lifts.of(info.id), f"in {info.name or info.external_id}"))
    return lines


def _percent(text: str) -> str:
    return f"{100 * float(text):.1f}%" if text else "–"


def print_report(report: StatsReport) -> None:
    rate = report.rate.value
    out.print(
        f"[bold]{escape(report.scope.label)}[/bold]: {report.posts} posts · engagement "
        f"{'–' if rate is None else f'{100 * rate:.1f}%'} {report.arrow}"
        + ("" if report.eligible_left is None else f" · {report.eligible_left} prompts left")
        + (
            ""
            if report.median_first_response is None
            else f" · first answer after {report.median_first_response.total_seconds() / 60:.0f}"
            " min (median)"
        )
    )
    table = Table("id", "prompt", "category", "n", "rate", "90% CI", "all", "who", "re", "rx")
    table.columns[1].min_width = 16
    for row in prompt_rows(report):
        low, high = (100 * float(row[c] or 0) for c in ("ci90_low", "ci90_high"))
        interval = f"{low:.0f}–{high:.0f}%"
        table.add_row(
            row["prompt_id"],
            escape(row["prompt"][:60]),
            escape(row["category"]),
            row["times_posted"],
            _percent(row["rate"]),
            interval if row["ci90_low"] else "–",
            _percent(row["pooled_rate"]),
            row["unique_responders"],
            row["replies"],
            row["reactions"],
        )
    out.print(table)
    categories = Table("category", "posted", "prompts", "rate")
    for c in report.categories:
        value = c.rate.value
        shown = "–" if value is None else f"{100 * value:.1f}%"
        categories.add_row(escape(c.category), str(c.times_posted), str(c.prompts), shown)
    out.print(categories)
    out.print(
        "n: times posted · rate: responders / active members, closed posts · all: the same "
        "prompt in every community · who: unique responders · re: replies · rx: reactions"
    )


@app.callback(invoke_without_command=True)
def stats(
    community: Annotated[str | None, typer.Option(help="Workspace/server id or name.")] = None,
    channel: Annotated[str | None, typer.Option(help="Channel id.")] = None,
    since: Annotated[str, typer.Option(help="30d, 12w, all or a date.")] = "90d",
    csv: Annotated[Path | None, typer.Option(help="Write the per-prompt rows here.")] = None,
    png: Annotated[Path | None, typer.Option(help="Write the chart here.")] = None,
) -> None:
    """Per-prompt engagement with credible intervals, categories and the weekly trend."""
    settings = load_settings()
    writable_file(csv, "--csv")
    writable_file(png, "--png")
    report, lift_lines = run_with_core(
        settings, lambda core: _report(core, community, channel, since)
    )
    print_report(report)
    for line in lift_lines:
        out.print(escape(line), soft_wrap=True)
    if csv is not None:
        write_or_fail(
            csv, "--csv", lambda path: write_csv(path, PROMPT_COLUMNS, prompt_rows(report))
        )
        out.print(f"wrote {len(report.prompts)} rows to {escape(str(csv))}")
    if png is not None:
        from bot.analytics.charts import report_chart  # matplotlib only when asked for

        chart = report_chart(report)
        write_or_fail(png, "--png", lambda path: path.write_bytes(chart))
        out.print(f"wrote the chart to {escape(str(png))}")
