"""PNG charts of a StatsReport (matplotlib, Agg backend, Okabe–Ito colour-blind-safe palette).

Sized 1200×675 px with large type so that a chat thumbnail stays readable.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib
import numpy as np

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.analytics.report import StatsReport

# Okabe & Ito (2008), distinguishable with every common form of colour blindness.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
INK = "#000000"
SIZE_INCHES = (8.0, 4.5)
DPI = 150
MAX_PROMPTS = 6
MAX_CHANNELS = 5


def _label(text: str, width: int = 26) -> str:
    return "\n".join(textwrap.wrap(text, width, max_lines=2, placeholder="…"))


def _prompts_panel(ax: Axes, report: StatsReport) -> None:
    rows = report.best(MAX_PROMPTS)
    ax.set_title("Best prompts here", fontsize=12, loc="left")
    ax.set_xlabel("Engagement (% of active members)", fontsize=10)
    if not rows:
        ax.text(0.5, 0.5, "No closed posts yet", ha="center", va="center", fontsize=12)
        ax.set_yticks([])
        return
    rows = list(reversed(rows))  # best at the top
    ys = list(range(len(rows)))
    values = [100 * (r.rate.value or 0.0) for r in rows]
    # Jeffreys' equal-tailed interval can sit just off a rate of 0: clamp the whiskers.
    lows = [max(v - 100 * r.rate.interval[0], 0) for v, r in zip(values, rows, strict=True)]
    highs = [max(100 * r.rate.interval[1] - v, 0) for v, r in zip(values, rows, strict=True)]
    ax.barh(ys, values, color=OKABE_ITO[0], height=0.6, label="here (90% interval)")
    ax.errorbar(values, ys, xerr=[lows, highs], fmt="none", ecolor=INK, capsize=3, lw=1)
    pooled = [100 * (report.pooled[r.prompt_id].value or 0.0) for r in rows]
    ax.scatter(pooled, ys, marker="D", color=OKABE_ITO[1], zorder=3, label="all communities")
    ax.set_yticks(ys, [_label(r.text) for r in rows], fontsize=8)
    ax.set_xlim(left=0)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)


def _trend_panel(ax: Axes, report: StatsReport) -> None:
    ax.set_title(f"Weekly engagement {report.arrow}", fontsize=12, loc="left")
    ax.set_xlabel("Week starting", fontsize=10)
    ax.set_ylabel("Engagement (%)", fontsize=10)
    lines = list(report.channels.items())[:MAX_CHANNELS]
    if not any(points for _, points in lines):
        ax.text(0.5, 0.5, "No posts yet", ha="center", va="center", fontsize=12)
        return
    for index, (name, points) in enumerate(lines):
        measured = [p for p in points if p.rate.value is not None]
        ax.plot(
            np.array([p.week for p in measured], dtype="datetime64[D]"),
            [100 * (p.rate.value or 0.0) for p in measured],
            marker="os^vD"[index % 5],
            color=OKABE_ITO[index % len(OKABE_ITO)],
            lw=2,
            label=name.split("/", 1)[-1],
        )
    ax.set_ylim(bottom=0)
    weeks = sorted({p.week for _, points in lines for p in points})
    shown = weeks[:: max(1, -(-len(weeks) // 7))]
    ax.set_xticks(np.array(shown, dtype="datetime64[D]"), [f"{w:%d %b}" for w in shown])
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    ax.legend(fontsize=8, loc="best")
    ax.grid(axis="y", alpha=0.3)


def report_chart(report: StatsReport) -> bytes:
    """The report as one PNG: best prompts (with intervals and the pooled rate) and the trend."""
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=(1.15, 1))
    figure.suptitle(f"Tigerbird engagement · {report.scope.label}", fontsize=13)
    _prompts_panel(left, report)
    _trend_panel(right, report)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
