"""The A/B wording figure of benchmarks/selection.md: tigerbird on benchmarks/scenarios/
variants.yaml (the default scenario with two extra wordings per prompt) run side by side in
three arms on the same worlds, seeds and random numbers: choosing each post's wording with
bot.learning.wordings, always posting the first wording, and always the truly best one (the
ceiling). Regenerate only this section:

    .venv/bin/python -m benchmarks.run_selection --variants --out benchmarks/selection.md

The section sits between two markers; a full `run_selection` run keeps it as it is.
"""

from __future__ import annotations

import dataclasses
import statistics
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from bot.simulation.scenario import load_scenario
from bot.simulation.simulator import simulate
from bot.simulation.wordings import WordingArm

SCENARIO = Path(__file__).resolve().parent / "scenarios" / "variants.yaml"
START = "<!-- variants:start -->"
END = "<!-- variants:end -->"
LAST_DAYS = 90


ARMS: tuple[WordingArm, ...] = ("first", "policy", "best")


def run_arm(job: tuple[int, WordingArm]) -> tuple[int, WordingArm, float, float]:
    """(seed, arm, whole-run total, last-90-days total) of tigerbird's expected engagement."""
    seed, arm = job
    scenario = dataclasses.replace(load_scenario(SCENARIO), seed=seed)
    result = simulate(scenario, ["tigerbird"], wording_arm=arm)
    values = result.values["tigerbird"]
    return seed, arm, float(np.nansum(values)), float(np.nansum(values[:, -LAST_DAYS:]))


def _percent(value: float) -> str:
    return f"{100 * value:+.2f} %"


def variants_section(seeds: list[int], jobs: int) -> list[str]:
    work = [(seed, arm) for seed in seeds for arm in ARMS]
    with ProcessPoolExecutor(jobs) as pool:
        runs = {(seed, arm): (total, late) for seed, arm, total, late in pool.map(run_arm, work)}
    gain = [runs[s, "policy"][0] / runs[s, "first"][0] - 1 for s in seeds]
    late = [runs[s, "policy"][1] / runs[s, "first"][1] - 1 for s in seeds]
    ceiling = [runs[s, "best"][0] / runs[s, "first"][0] - 1 for s in seeds]
    captured = [g / c for g, c in zip(gain, ceiling, strict=True)]
    rows = [
        f"| {s} | {runs[s, 'first'][0]:.1f} | {runs[s, 'policy'][0]:.1f} | "
        f"{runs[s, 'best'][0]:.1f} | {_percent(g)} | {_percent(g90)} | {100 * k:.0f} % |"
        for s, g, g90, k in zip(seeds, gain, late, captured, strict=True)
    ]
    spread = statistics.stdev(gain) if len(gain) > 1 else 0.0
    return [
        START,
        "## A/B wordings: choosing the wording vs always the first (issue 19)",
        "",
        "tigerbird on `benchmarks/scenarios/variants.yaml` (the default scenario with "
        "`prompts.variants_per_prompt: 2`, `variant_sigma: 0.3`: three wordings per prompt whose "
        "log-odds effects are centred on the prompt) in three arms on the same worlds and random "
        "numbers: always the first wording, the wording policy (`bot.learning.wordings`, as in "
        "production), and the truly best wording of each prompt (a ceiling no learner reaches). "
        "The prompt policy is the same code in every arm (its picks follow what it learns). "
        "Expected engagement summed over channel-days, as in the table above; *captured* is "
        "(policy − first) / (best − first). Regenerate with "
        "`.venv/bin/python -m benchmarks.run_selection --variants --out benchmarks/selection.md`.",
        "",
        "| seed | always the first wording | wording policy | best wording (ceiling) | gain "
        f"| gain, last {LAST_DAYS} days | captured |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Choosing wordings gains **{_percent(statistics.mean(gain))}** of expected engagement "
        f"over the year (sd {100 * spread:.2f} points over {len(seeds)} seeds) and "
        f"{_percent(statistics.mean(late))} in the last {LAST_DAYS} days once the wordings are "
        f"learned; that is {100 * statistics.mean(captured):.0f} % of what knowing every "
        "prompt's best wording would gain.",
        END,
        "",
    ]


def with_section(text: str, section: str) -> str:
    """`text` with its wording section replaced by `section` (appended if it has none)."""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        return before + section.rstrip("\n") + "\n" + after
    return text.rstrip("\n") + "\n\n" + section


def kept_section(path: Path | None) -> str | None:
    """The wording section already in `path`, so a full regeneration keeps it."""
    if path is None or not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return None
    return START + text.split(START, 1)[1].split(END, 1)[0] + END + "\n"
