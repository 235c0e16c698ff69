"""`tigerbird simulate`: every selection policy side by side on a simulated world."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bot.learning.metrics import policy_metrics
from bot.learning.scenario import Scenario, ScenarioError, load_scenario
from bot.learning.simulator import SimulationResult, simulate

METRIC_COLUMNS = (
    "headroom_365",
    "headroom_cold_30",
    "ratio_vs_random",
    "ratio_vs_round_robin",
    "channels_below_random",
    "repeat_violations",
    "mean_engagement",
)


def _finite(value: float) -> float | None:
    """JSON has no NaN (e.g. headroom_cold_30 when no channel joins late): null instead."""
    return value if math.isfinite(value) else None


def report(result: SimulationResult) -> dict[str, Any]:
    """The `--json` document: {"scenario": {...}, "policies": {name: {metric: value}}}."""
    metrics = policy_metrics(result)
    return {
        "scenario": result.scenario.to_dict(),
        "policies": {
            name: {key: _finite(value) for key, value in entry.items()}
            for name, entry in metrics.items()
        },
    }


def _table(document: dict[str, Any]) -> Table:
    table = Table(title="Expected engagement by policy")
    table.add_column("policy")
    for column in METRIC_COLUMNS:
        table.add_column(column, justify="right")
    for name, entry in document["policies"].items():
        cells = ["-" if entry.get(c) is None else f"{entry[c]:.3f}" for c in METRIC_COLUMNS]
        table.add_row(name, *cells)
    return table


def plot_cumulative(result: SimulationResult, path: Path) -> None:
    """Cumulative expected engagement (sum over channels) per policy, day by day."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5))
    for name, values in result.values.items():
        axes.plot(np.cumsum(np.nansum(values, axis=0)), label=name)
    axes.set_xlabel("day")
    axes.set_ylabel("cumulative expected engagement (sum over channels)")
    axes.set_title(f"tigerbird simulate (seed {result.scenario.seed})")
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
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Write a PNG of cumulative engagement per policy.")
    ] = None,
) -> None:
    """Run tigerbird, random, round_robin, epsilon_greedy, per_channel_thompson and oracle."""
    errors = Console(stderr=True, highlight=False)
    try:
        scenario = load_scenario(scenario_file)
    except (OSError, ScenarioError) as error:
        errors.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    if seed is not None:
        scenario = dataclasses.replace(scenario, seed=seed)
    if as_json:
        result = simulate(scenario)
        typer.echo(json.dumps(report(result), indent=2))
    else:
        console = Console(highlight=False)
        result = _run_with_progress(scenario, errors)
        console.print(_table(report(result)))
    if plot is not None:
        plot_cumulative(result, plot)


def register(app: typer.Typer) -> None:
    """Add `simulate` to the root CLI."""
    app.command("simulate")(simulate_command)
