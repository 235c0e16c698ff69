"""Regenerate benchmarks/selection.md: every policy on every scenario, the issue-17 targets,
the lift interval's coverage over 20 seeds, the ablations and pick/observe speed, in one run.

    .venv/bin/python -m benchmarks.run_selection --out benchmarks/selection.md

Each scenario in benchmarks/scenarios/ runs once per seed through the same code as
`tigerbird simulate --scenario FILE --seed N --json`; the table shows the mean over seeds.
The coverage section runs tigerbird on the default scenario with and without the holdout over
20 seeds. The speed section times the real policy's pick() (1,000 eligible prompts) and
observe() next to the uniform baseline in the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.selection_tables import (
    coverage_section,
    summary_table,
    targets_section,
)
from benchmarks.variants_section import kept_section, variants_section, with_section
from bot.app.cli.simulate import report
from bot.learning.config import PolicyConfig
from bot.learning.policy import PooledThompsonPolicy
from bot.learning.selection import Candidate, Outcome, PickContext, UniformPolicy
from bot.simulation.metrics import policy_metrics
from bot.simulation.scenario import load_scenario
from bot.simulation.simulator import POLICY_NAMES, simulate

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "benchmarks" / "scenarios"
# Issue 17's worlds outside the model first, then issue 6's variants of the model's own world.
OUTSIDE = [
    "quality_student_t3",
    "quality_bimodal",
    "prompt_taste",
    "fatigue",
    "category_streak",
    "overdispersion",
    "seasonality",
    "outside_all",
]
ORDER = [
    "default",
    "holdout",
    *OUTSIDE,
    "channels_5",
    "quality_sigma_0.2",
    "prompts_1000",
    "drift_strong",
    "taste_sigma_0.6",
    "audience_12",
]


def run_one(job: tuple[str, int, tuple[str, ...]]) -> tuple[str, int, dict[str, Any], float]:
    name, seed, policies = job
    scenario = dataclasses.replace(load_scenario(SCENARIOS / f"{name}.yaml"), seed=seed)
    started = time.perf_counter()
    document = report(simulate(scenario, policies))
    return name, seed, document["policies"], time.perf_counter() - started


# What each knob is worth: tigerbird alone on the default scenario with one setting changed.
ABLATIONS: dict[str, dict[str, Any]] = {
    "as shipped": {},
    "plain Thompson (temper 1, prior_temper 1)": {"temper": 1.0, "prior_temper": 1.0},
    "near-greedy (posterior means: temper 1000)": {"temper": 1000.0, "prior_temper": 1000.0},
    "no taste term (taste sigma 0.01, no empirical Bayes)": {
        "taste_prior_sigma": 0.01,
        "min_cells_for_spread": 10**9,
    },
    "no empirical-Bayes spreads": {"min_cells_for_spread": 10**9},
    "half-life 60 days": {"half_life_days": 60.0},
    "half-life 365 days": {"half_life_days": 365.0},
    "no weekday effect (weekday sigma 0.001)": {"weekday_prior_sigma": 0.001},
    "no history effects (re-posts, category runs)": {"learn_history": False},
    "with overdispersion weighting (off as shipped)": {"learn_dispersion": True},
    "with channel x prompt taste (off as shipped)": {"learn_prompt_taste": True},
}


def run_ablation(job: tuple[str, int]) -> tuple[str, int, dict[str, float]]:
    label, seed = job
    scenario = dataclasses.replace(load_scenario(SCENARIOS / "default.yaml"), seed=seed)
    result = simulate(scenario, ["tigerbird"], PolicyConfig(**ABLATIONS[label]))
    return label, seed, policy_metrics(result)["tigerbird"]


def ablation_section(seeds: list[int], jobs: int) -> list[str]:
    work = [(label, seed) for label in ABLATIONS for seed in seeds]
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(run_ablation, work))
    lines = [
        "## Ablations: tigerbird on the default scenario with one setting changed",
        "",
        "| variant | settings | headroom_365 | headroom_cold_30 |",
        "|---|---|---|---|",
    ]
    for label, settings in ABLATIONS.items():
        mine = [m for name, _seed, m in results if name == label]
        lines.append(
            f"| {label} | `{settings or 'defaults'}` | "
            f"{_cell(_mean([m['headroom_365'] for m in mine]))} | "
            f"{_cell(_mean([m['headroom_cold_30'] for m in mine]))} |"
        )
    return [*lines, ""]


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def speed_section() -> list[str]:
    rng = np.random.default_rng(0)
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    count = 100_000
    outcomes = [
        Outcome(int(k), f"cat{k % 12}", f"ch{c}", int(y), 60, start + timedelta(days=i // 200))
        for i, (k, c, y) in enumerate(
            zip(
                rng.integers(1000, size=count),
                rng.integers(200, size=count),
                rng.integers(12, size=count),
                strict=True,
            )
        )
    ]
    policy = PooledThompsonPolicy(np.random.default_rng(1))
    began = time.perf_counter()
    for outcome in outcomes:
        policy.observe(outcome)
    observe_rate = count / (time.perf_counter() - began)
    candidates = [Candidate(k, f"cat{k % 12}") for k in range(1000)]
    context = PickContext("ch3", start + timedelta(days=count // 200))
    uniform = UniformPolicy(np.random.default_rng(2))
    timings: dict[str, list[float]] = {"tigerbird": [], "uniform": []}
    for _ in range(1000):
        for name, chooser in (("tigerbird", policy), ("uniform", uniform)):
            began = time.perf_counter()
            chooser.pick(candidates, context)
            timings[name].append(time.perf_counter() - began)
    median = {name: float(np.median(t)) * 1e3 for name, t in timings.items()}
    p99 = {name: float(np.percentile(t, 99)) * 1e3 for name, t in timings.items()}
    return [
        "## Speed (1,000 eligible prompts, after 100,000 replayed outcomes)",
        "",
        "| | tigerbird | uniform baseline | ratio |",
        "|---|---|---|---|",
        f"| pick, median ms | {median['tigerbird']:.3f} | {median['uniform']:.3f} | "
        f"{median['tigerbird'] / median['uniform']:.0f}× |",
        f"| pick, p99 ms | {p99['tigerbird']:.3f} | {p99['uniform']:.3f} | |",
        f"| observe (replay), outcomes/s | {observe_rate:,.0f} | | |",
        "",
    ]


PREAMBLE = (ROOT / "benchmarks" / "selection_preamble.md").read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="7,8,9")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--scenarios", default=",".join(ORDER))
    parser.add_argument("--out", type=Path, default=None, help="write markdown here too")
    parser.add_argument("--coverage-seeds", type=int, default=20)
    parser.add_argument("--no-ablations", action="store_true")
    parser.add_argument(
        "--variants", action="store_true", help="only the A/B wording section (issue 19)"
    )
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.variants:
        _variants_only(seeds, args.jobs, args.out)
        return
    names = args.scenarios.split(",")
    everyone = tuple(POLICY_NAMES)
    jobs = [(name, seed, everyone) for name in names for seed in seeds]
    coverage_seeds = list(range(1, args.coverage_seeds + 1))
    jobs += [
        (name, seed, ("tigerbird",)) for name in ("default", "holdout") for seed in coverage_seeds
    ]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run_one, jobs))
    table_runs = results[: len(names) * len(seeds)]
    coverage_runs = results[len(names) * len(seeds) :]
    lines = [
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{args.jobs} worker processes; seeds {', '.join(map(str, seeds))} for the table.",
        "",
        *summary_table(names, table_runs),
        *targets_section(names, OUTSIDE, table_runs, coverage_runs),
        *coverage_section(coverage_runs),
    ]
    if not args.no_ablations:
        lines += ablation_section(seeds, args.jobs)
    lines += speed_section()
    lines += [f"Whole run: {(time.perf_counter() - started) / 60:.0f} minutes.", ""]
    text = PREAMBLE + "\n".join(lines)
    kept = kept_section(args.out)
    if kept is not None:
        text = with_section(text, kept)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")


def _variants_only(seeds: list[int], jobs: int, out: Path | None) -> None:
    section = "\n".join(variants_section(seeds, jobs))
    print(section)
    if out is not None:
        existing = out.read_text(encoding="utf-8") if out.exists() else PREAMBLE
        out.write_text(with_section(existing, section), encoding="utf-8")


if __name__ == "__main__":
    main()
