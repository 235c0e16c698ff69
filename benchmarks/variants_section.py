"""The A/B wording figure of benchmarks/selection.md: tigerbird on benchmarks/scenarios/
variants.yaml (the default scenario with two extra wordings per prompt) run side by side in
two arms on the same worlds, seeds and random numbers: choosing each post's wording with
bot.learning.wordings, or always posting the first wording. Regenerate only this section:

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

SCENARIO = Path(__file__).resolve().parent / "scenarios" / "variants.yaml"
START = "<!-- variants:start -->"
END = "<!-- variants:end -->"
LAST_DAYS = 90


def run_arm(job: tuple[int, bool]) -> tuple[int, bool, float, float, float]:
    """(seed, choose, whole-run total, last-90-days total, random's total) of tigerbird."""
    seed, choose = job
    scenario = dataclasses.replace(load_scenario(SCENARIO), seed=seed)
    result = simulate(scenario, ["tigerbird"], choose_wordings=choose)
    values = result.values["tigerbird"]
    return (
        seed,
        choose,
        float(np.nansum(values)),
        float(np.nansum(values[:, -LAST_DAYS:])),
        float(np.nansum(result.values["random"])),
    )


def variants_section(seeds: list[int], jobs: int) -> list[str]:
    work = [(seed, choose) for seed in seeds for choose in (False, True)]
    with ProcessPoolExecutor(jobs) as pool:
        runs = {(seed, choose): rest for seed, choose, *rest in pool.map(run_arm, work)}
    gains = [runs[s, True][0] / runs[s, False][0] - 1 for s in seeds]
    late = [runs[s, True][1] / runs[s, False][1] - 1 for s in seeds]
    rows = [
        f"| {s} | {runs[s, False][0]:.1f} | {runs[s, True][0]:.1f} | {100 * g:+.2f} % "
        f"| {100 * g90:+.2f} % |"
        for s, g, g90 in zip(seeds, gains, late, strict=True)
    ]
    spread = statistics.stdev(gains) if len(gains) > 1 else 0.0
    return [
        START,
        "## A/B wordings: choosing the wording vs always the first (issue 19)",
        "",
        "tigerbird on `benchmarks/scenarios/variants.yaml` (the default scenario with "
        "`prompts.variants_per_prompt: 2`, `variant_sigma: 0.3`), both arms on the same worlds "
        "and random numbers; the prompt policy is the same, only the wording differs. Expected "
        "engagement summed over channel-days (as in the table above). Regenerate with "
        "`.venv/bin/python -m benchmarks.run_selection --variants --out benchmarks/selection.md`.",
        "",
        "| seed | always the first wording | choosing the wording | gain | gain, last "
        f"{LAST_DAYS} days |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"Mean gain from choosing wordings: **{100 * statistics.mean(gains):+.2f} %** of "
        f"expected engagement over the year (sd {100 * spread:.2f} points over "
        f"{len(seeds)} seeds), {100 * statistics.mean(late):+.2f} % in the last {LAST_DAYS} "
        "days once the wordings are learned.",
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
