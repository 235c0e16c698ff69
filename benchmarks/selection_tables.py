"""Markdown sections of benchmarks/selection.md built from `tigerbird simulate --json` documents:
the scenario x policy table, the issue-17 targets, and the lift interval's coverage."""

from __future__ import annotations

import math
import statistics
from typing import Any

from bot.simulation.simulator import POLICY_NAMES

# (name, scenario, seed, {policy: metrics}, seconds)
Run = tuple[str, int, dict[str, Any], float]

COVERAGE_NEEDED = 0.8  # 16 of 20
HOLDOUT_COST_LIMIT = 0.05


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _cell(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _days(values: list[float | None]) -> str:
    """Per-seed discovery medians (null: most top prompts never reached a quarter)."""
    return ", ".join("never" if v is None else f"{v:.0f}" for v in values) or "–"


def covered(metrics: dict[str, Any]) -> bool | None:
    """Whether the 90 % interval holds the true lift (None: the policy used no holdout)."""
    interval, truth = metrics.get("lift_ci90"), metrics.get("lift_true")
    if interval is None or truth is None or None in interval:
        return None
    return bool(interval[0] <= truth <= interval[1])


def _coverage(runs: list[Run], policy: str) -> str:
    marks = [covered(run[2][policy]) for run in runs]
    known = [m for m in marks if m is not None]
    return f"{sum(known)}/{len(known)}" if known else "–"


def summary_table(names: list[str], runs: list[Run]) -> list[str]:
    lines = [
        "## Every scenario x policy (mean over seeds)",
        "",
        "Discovery days are listed per seed; lift coverage counts the seeds whose 90 % interval "
        "held the true lift (scenarios with a holdout only).",
        "",
        "| scenario | policy | headroom_365 | headroom_cold_30 | ratio_vs_round_robin | "
        "channels_below_random | repeat_violations | new_top_discovery_days | lift coverage |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in names:
        mine = [run for run in runs if run[0] == name]
        seconds = statistics.fmean(run[3] for run in mine)
        for policy in POLICY_NAMES:
            metrics = [run[2][policy] for run in mine]
            label = f"{name} ({seconds:.0f} s/run)" if policy == POLICY_NAMES[0] else ""
            lines.append(
                f"| {label} | {policy} | "
                f"{_cell(_mean([m['headroom_365'] for m in metrics]))} | "
                f"{_cell(_mean([m['headroom_cold_30'] for m in metrics]))} | "
                f"{_cell(_mean([m['ratio_vs_round_robin'] for m in metrics]))} | "
                f"{_cell(max(m['channels_below_random'] for m in metrics))} | "
                f"{sum(m['repeat_violations'] for m in metrics):.0f} | "
                f"{_days([m['new_top_discovery_days'] for m in metrics])} | "
                f"{_coverage(mine, policy)} |"
            )
    return [*lines, ""]


def _pass(ok: bool) -> str:
    return "**yes**" if ok else "**NO**"


def _headroom(runs: list[Run], name: str) -> float:
    values = [run[2]["tigerbird"]["headroom_365"] for run in runs if run[0] == name]
    return statistics.fmean(values)


def _row(target: str, measured: str, ok: bool) -> str:
    return f"| {target} | {measured} | {_pass(ok)} |"


def _default_targets(runs: list[Run]) -> list[str]:
    default = _headroom(runs, "default")
    days = [run[2]["tigerbird"]["new_top_discovery_days"] for run in runs if run[0] == "default"]
    finite = [d for d in days if d is not None]
    worst = max(finite) if len(finite) == len(days) and finite else math.inf
    return [
        _row("headroom_365 >= 0.90 on default (3 seeds)", f"{default:.3f}", default >= 0.9),
        _row("new_top_discovery_days <= 30 on default (every seed)", _days(days), worst <= 30),
    ]


def targets_section(
    names: list[str], outside: list[str], runs: list[Run], coverage_runs: list[Run]
) -> list[str]:
    lines = ["## Targets (issue 17), tigerbird", "", "| target | measured | met |", "|---|---|---|"]
    if "default" in names:
        lines += _default_targets(runs)
    for name in outside:
        if name in names:
            value = _headroom(runs, name)
            target = f"headroom_365 >= 0.85 on {name} (3 seeds)"
            lines.append(_row(target, f"{value:.3f}", value >= 0.85))
    below = max(run[2]["tigerbird"]["channels_below_random"] for run in runs)
    target = "no channel below random - 5 % (any scenario, seed)"
    lines.append(_row(target, f"worst share {below:.3f}", below == 0))
    repeats = sum(m["repeat_violations"] for run in runs for m in run[2].values())
    target = "0 repeat violations (every policy, scenario, seed)"
    lines.append(_row(target, f"{repeats:.0f}", repeats == 0))
    lines += _coverage_targets(coverage_runs)
    return [*lines, ""]


def _coverage_targets(coverage_runs: list[Run]) -> list[str]:
    held = [run for run in coverage_runs if run[0] == "holdout"]
    plain = [run for run in coverage_runs if run[0] == "default"]
    if not held or not plain:
        return []
    marks = [covered(run[2]["tigerbird"]) for run in held]
    hits = sum(1 for m in marks if m)
    cost = _headroom(plain, "default") - _headroom(held, "holdout")
    return [
        f"| lift 90 % interval covers the true lift in >= 80 % of {len(held)} seeds (default + "
        f"holdout 0.1) | {hits}/{len(held)} | {_pass(hits >= COVERAGE_NEEDED * len(held))} |",
        f"| holdout costs <= 0.05 of headroom_365 ({len(held)} seeds, paired) | {cost:.3f} | "
        f"{_pass(cost <= HOLDOUT_COST_LIMIT)} |",
    ]


def coverage_section(coverage_runs: list[Run]) -> list[str]:
    held = sorted((run for run in coverage_runs if run[0] == "holdout"), key=lambda r: r[1])
    plain = {run[1]: run for run in coverage_runs if run[0] == "default"}
    if not held:
        return []
    lines = [
        f"## Lift estimate on the default scenario with holdout 0.1 ({len(held)} seeds)",
        "",
        "lift = the policy posts' engagement rate over the holdout posts' (a ratio; 1 = no "
        "better than random; see bot/learning/lift.py); the truth is the same ratio of true "
        "rates on the same slots. headroom without holdout is the same seed with `holdout: 0`.",
        "",
        "| seed | lift_true | lift_estimate | lift_ci90 | covered | posts | headroom_365 | "
        "without holdout |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for _name, seed, policies, _seconds in held:
        m = policies["tigerbird"]
        interval = m.get("lift_ci90") or [None, None]
        without = plain.get(seed)
        lines.append(
            f"| {seed} | {_cell(m.get('lift_true'))} | {_cell(m.get('lift_estimate'))} | "
            f"[{_cell(interval[0])}, {_cell(interval[1])}] | {covered(m)} | "
            f"{m.get('lift_posts', '–')} | {_cell(m['headroom_365'])} | "
            f"{_cell(without[2]['tigerbird']['headroom_365']) if without else '–'} |"
        )
    return [*lines, ""]
