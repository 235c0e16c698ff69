"""`tigerbird simulate`: every selection policy side by side on a simulated world."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from bot.app.cli.common import err, fail, out, writable_file, write_or_fail
from bot.simulation.lift_check import lift_metrics
from bot.simulation.metrics import policy_metrics
from bot.simulation.scenario import Scenario, ScenarioError, load_scenario
from bot.simulation.simulator import SimulationResult, simulate
from bot.simulation.world import FloatArray

# (metric, table header, legend); the header stays short so the table fits 80 columns.
METRIC_COLUMNS = (
    ("headroom_365", "headroom", "headroom: share of the oracle's gain over random, whole run"),
    ("headroom_cold_30", "cold30", "cold30: the same, first 30 days of late-joining channels"),
    ("ratio_vs_random", "×rand", "×rand, ×rr: engagement relative to random, round-robin"),
    ("ratio_vs_round_robin", "×rr", ""),
    ("channels_below_random", "<rand", "<rand: share of channels worse than random by 5%+"),
    ("repeat_violations", "rep", "rep: posts inside the no-repeat window"),
    ("mean_engagement", "mean", "mean: expected engagement per channel-day"),
    (
        "new_top_discovery_days",
        "disc",
        "disc: median days until a new top-5% prompt reached ¼ of channels (-: never)",
    ),
)
MAX_SEED = 2**32 - 1
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def headroom_key(days: int) -> str:
    """The whole-run headroom is named by the run's horizon (headroom_365 for a year)."""
    return f"headroom_{days}"


def _finite(value: float) -> float | None:
    """JSON has no NaN (e.g. headroom_cold_30 when no channel joins late): null instead."""
    return value if math.isfinite(value) else None


def report(result: SimulationResult) -> dict[str, Any]:
    """The `--json` document: {"scenario": {...}, "policies": {name: {metric: value}}}; with a
    holdout, each learner also has lift_true, lift_estimate, lift_ci90 [low, high], lift_posts,
    lift_off_policy and lift_off_policy_ci90 (null when there is not enough data yet)."""
    metrics = policy_metrics(result)
    lifts = lift_metrics(result)
    whole_run = headroom_key(result.scenario.days)
    policies: dict[str, dict[str, Any]] = {}
    for name, entry in metrics.items():
        policies[name] = {
            (whole_run if key == "headroom_365" else key): _finite(value)
            for key, value in entry.items()
        }
        policies[name].update(lifts.get(name, {}))
    return {"scenario": result.scenario.to_dict(), "policies": policies}


def _lift_table(document: dict[str, Any]) -> Table | None:
    rows = {n: e for n, e in document["policies"].items() if "lift_true" in e}
    if not rows:
        return None
    table = Table(
        title="Lift over random, holdout vs policy posts (ratio of engagement rates)",
        box=box.SIMPLE_HEAD,
        caption="true: the same ratio of true rates on the policy's slots",
        caption_justify="left",
    )
    for header in ("policy", "true", "estimate", "90 % interval", "posts"):
        table.add_column(header, justify="left" if header == "policy" else "right")
    for name, entry in rows.items():
        interval = entry["lift_ci90"]
        shown = "-" if interval is None else f"{interval[0]:.3f}-{interval[1]:.3f}"
        estimate = entry["lift_estimate"]
        table.add_row(
            escape(name),
            f"{entry['lift_true']:.3f}",
            "not enough data" if estimate is None else f"{estimate:.3f}",
            shown,
            str(entry["lift_posts"]),
        )
    return table


def _table(document: dict[str, Any]) -> Table:
    days = document["scenario"]["days"]
    # Short headers, explained in the caption, and collapsed padding: 80 columns suffice.
    table = Table(
        title=f"Expected engagement by policy, {days} days",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
        caption=" · ".join(legend for _, _, legend in METRIC_COLUMNS if legend),
        caption_justify="left",
    )
    table.add_column("policy", no_wrap=True, min_width=20)
    for _, header, _ in METRIC_COLUMNS:
        table.add_column(header, justify="right", no_wrap=True)
    keys = [headroom_key(days) if k == "headroom_365" else k for k, _, _ in METRIC_COLUMNS]
    for name, entry in document["policies"].items():
        cells = [_cell(key, entry.get(key)) for key in keys]
        table.add_row(escape(name), *cells)
    return table


def _cell(key: str, value: float | None) -> str:
    if value is None:
        return "-"
    return (
        f"{value:.0f}" if key in ("repeat_violations", "new_top_discovery_days") else f"{value:.3f}"
    )


def headroom_curves(result: SimulationResult) -> dict[str, FloatArray]:
    """Per policy, the headroom of the run so far after each day: cumulative gain over random
    divided by the oracle's cumulative gain (NaN until the oracle has gained anything)."""
    random = np.nansum(result.values["random"], axis=0)
    gap = np.cumsum(np.nansum(result.values["oracle"], axis=0) - random)
    safe = np.where(gap > 0, gap, np.nan)
    return {
        name: np.cumsum(np.nansum(values, axis=0) - random) / safe
        for name, values in result.values.items()
    }


def plot_headroom(result: SimulationResult, path: Path) -> None:
    """Cumulative headroom per policy, day by day (1 = the oracle, 0 = random)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5))
    for name, curve in headroom_curves(result).items():
        axes.plot(curve, label=name)
    axes.axhline(0.0, color="grey", linewidth=0.5)
    axes.set_xlabel("day")
    axes.set_ylabel("cumulative headroom (0 = random, 1 = oracle)")
    axes.set_ylim(-0.3, 1.1)
    scenario = result.scenario
    axes.set_title(f"tigerbird simulate: {scenario.days} days, seed {scenario.seed}")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _run_with_progress(scenario: Scenario, console: Console) -> SimulationResult:
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("simulating", total=scenario.days)
        return simulate(scenario, on_day=lambda _day: progress.advance(task))


def simulate_command(
    scenario_file: Annotated[
        Path | None,
        typer.Option("--scenario", help="Scenario YAML (default: the built-in default scenario)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help=f"Override the scenario's seed (0..{MAX_SEED}).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    plot: Annotated[
        Path | None,
        typer.Option(help="Chart every policy's cumulative headroom here (.png, .svg, .pdf)."),
    ] = None,
) -> None:
    """Run tigerbird, random, round_robin, epsilon_greedy, per_channel_thompson and oracle."""
    # Every input is checked before the run: a finished simulation is never thrown away.
    if seed is not None and not 0 <= seed <= MAX_SEED:
        fail(f"--seed: {seed} is out of range (allowed 0..{MAX_SEED})")
    if plot is not None and plot.suffix.lower() not in PLOT_SUFFIXES:
        fail(f"--plot: {plot} must end in {', '.join(PLOT_SUFFIXES)}")
    writable_file(plot, "--plot")
    try:
        scenario = load_scenario(scenario_file)
    except ScenarioError as error:
        fail(str(error))
    if seed is not None:
        scenario = dataclasses.replace(scenario, seed=seed)
    if as_json:
        result = simulate(scenario)
        typer.echo(json.dumps(report(result), indent=2))
    else:
        result = _run_with_progress(scenario, err)
        document = report(result)
        out.print(_table(document))
        lift_table = _lift_table(document)
        if lift_table is not None:
            out.print(lift_table)
    if plot is not None:
        # The results are printed already: a failed write loses only the chart.
        write_or_fail(plot, "--plot", lambda path: plot_headroom(result, path))
        err.print(f"wrote the headroom chart to {escape(str(plot))}")


def register(app: typer.Typer) -> None:
    """Add `simulate` to the root CLI."""
    app.command("simulate")(simulate_command)
