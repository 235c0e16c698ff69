"""Each wording of a prompt: its rate with a 90 % credible interval, and whether one is
credibly better than the others.

A wording's rate r is Beta(responders + ½, audience − responders + ½) (Jeffreys, as every rate
in bot.analytics). A wording is *credibly better* when, in posterior draws of every wording's
rate, it is the best in at least 95 % of them. The draws are seeded, so a report reads the
same each time it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.analytics.beta import JEFFREYS, credible_interval
from bot.core.ports import WordingRecord
from bot.core.wordings import wording_key, wording_label, wordings_of
from bot.service_layer.wordings import WordingData

CREDIBLY_BETTER = 0.95
_DRAWS = 20_000
_SEED = 19


@dataclass(frozen=True)
class WordingStat:
    label: str  # "A" is the main text, then "B", "C"
    text: str
    times_posted: int
    responders: int
    audience: int
    chance_best: float  # share of posterior draws in which this wording is the best
    pinned: bool = False

    @property
    def rate(self) -> float | None:
        return self.responders / self.audience if self.audience else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return credible_interval(self.responders, self.audience) if self.audience else None


@dataclass(frozen=True)
class WordingReport:
    prompt_id: int
    wordings: tuple[WordingStat, ...]

    @property
    def winner(self) -> WordingStat | None:
        """The wording credibly better than every other, if there is one."""
        if len(self.wordings) < 2:
            return None
        best = max(self.wordings, key=lambda w: w.chance_best)
        return best if best.chance_best >= CREDIBLY_BETTER else None

    def verdict(self) -> str:
        """One sentence: which wording is credibly better, or that none is yet."""
        if len(self.wordings) < 2:
            return "This prompt has one wording."
        winner = self.winner
        if winner is None:
            return "No wording is credibly better yet (none is best in 95 % of draws)."
        share = f"{100 * winner.chance_best:.0f} %"
        return f"Wording {winner.label} is credibly better (best in {share} of draws)."


def chances_best(records: list[tuple[int, int]], seed: int = _SEED) -> list[float]:
    """For each (responders, audience), the share of joint posterior draws where it is best."""
    if len(records) < 2:
        return [1.0] * len(records)
    rng = np.random.default_rng(seed)
    draws = np.stack(
        [rng.beta(r + JEFFREYS, max(a - r, 0) + JEFFREYS, size=_DRAWS) for r, a in records]
    )
    best = np.argmax(draws, axis=0)
    return [float(np.count_nonzero(best == i)) / _DRAWS for i in range(len(records))]


def wording_report(data: WordingData) -> WordingReport:
    """The report of `data`'s prompt: its wordings in order (main text first)."""
    texts = wordings_of(data.prompt)
    empty = WordingRecord("", 0, 0, 0)
    found = [data.records.get(wording_key(text), empty) for text in texts]
    chances = chances_best([(r.responders, r.audience) for r in found])
    stats = tuple(
        WordingStat(
            wording_label(i), text, r.times_posted, r.responders, r.audience, chance,
            pinned=data.pinned == wording_key(text),
        )
        for i, (text, r, chance) in enumerate(zip(texts, found, chances, strict=True))
    )  # fmt: skip
    return WordingReport(data.prompt.id, stats)


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def wording_lines(report: WordingReport) -> list[str]:
    """The report as plain lines (chat, CLI): one per wording, then the verdict."""
    lines = []
    for w in report.wordings:
        interval = w.interval
        measured = (
            f"{_percent(w.responders / w.audience)} (90% CI {_percent(interval[0])}–"
            f"{_percent(interval[1])})"
            if interval is not None and w.audience
            else "no closed post yet"
        )
        pin = " · pinned here" if w.pinned else ""
        lines.append(f"{w.label}: “{w.text}” — {w.times_posted}× · {measured}{pin}")
    lines.append(report.verdict())
    return lines
