"""A StatsReport as flat rows of strings: for the CLI's table and its CSV export."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from bot.analytics.report import StatsReport

PROMPT_COLUMNS = (
    "prompt_id",
    "prompt",
    "category",
    "times_posted",
    "responders",
    "audience",
    "rate",
    "ci90_low",
    "ci90_high",
    "pooled_rate",
    "unique_responders",
    "replies",
    "reactions",
    "median_first_response_min",
)


def _fraction(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _minutes(delay: timedelta | None) -> str:
    return "" if delay is None else f"{delay.total_seconds() / 60:.1f}"


def prompt_rows(report: StatsReport) -> list[dict[str, str]]:
    """One row per prompt, best first; rates are fractions (0.125 = 12.5 %)."""
    rows = []
    for p in report.prompts:
        low, high = p.rate.interval if p.rate.audience else (None, None)
        values = (
            p.prompt_id,
            p.text,
            p.category,
            p.times_posted,
            p.rate.responders,
            p.rate.audience,
            _fraction(p.rate.value),
            _fraction(low),
            _fraction(high),
            _fraction(report.pooled[p.prompt_id].value),
            p.unique_responders,
            p.replies,
            p.reactions,
            _minutes(p.median_first_response),
        )
        rows.append(dict(zip(PROMPT_COLUMNS, map(str, values), strict=True)))
    return rows


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
