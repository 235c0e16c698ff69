"""Folding outcomes into the pooled statistics: who gets the credit for a post's responders.

An outcome's responders are credited to its channel, weekday, prompt and channel x category
taste in turn, each with the exposure the other factors' current means imply. A young
channel's base rate is still a guess, so its first outcomes are credited again (the old
exposure taken back, a new one added) each time its outcome count reaches a checkpoint;
after the last checkpoint its buffer is dropped. Work per outcome stays bounded. The buffers
are packed arrays of doubles (88 bytes a credit, where a Credit object with its boxed floats
takes about 350): a replay of 100,000 outcomes into 10,000 young channels holds them all.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import astuple, dataclass, fields
from typing import Any

from bot.learning.priors import Priors
from bot.learning.stats import PooledStats

REATTRIBUTE_AT = frozenset({3, 6, 12, 24, 48})
_LAST_CHECKPOINT = max(REATTRIBUTE_AT)


@dataclass
class Credit:
    """One outcome and the (unweighted) exposures it last added to each factor's sums."""

    prompt: int
    channel: int
    category: int
    weekday: int
    day: float
    responders: float
    audience: float
    channel_e: float = 0.0
    weekday_e: float = 0.0
    prompt_e: float = 0.0
    taste_e: float = 0.0


_FIELDS = len(fields(Credit))
_EXPOSURES = slice(7, 11)  # channel_e, weekday_e, prompt_e, taste_e


def _packed(credit: Credit) -> tuple[float, ...]:
    c = credit
    return (c.prompt, c.channel, c.category, c.weekday, c.day, c.responders, c.audience,
            c.channel_e, c.weekday_e, c.prompt_e, c.taste_e)  # fmt: skip


def _unpacked(buffer: array[float], at: int) -> Credit:
    """The credit packed at `at` (its four indices are stored exactly as doubles)."""
    b = buffer
    return Credit(int(b[at]), int(b[at + 1]), int(b[at + 2]), int(b[at + 3]), *b[at + 4 : at + 11])


def _credits(buffer: array[float]) -> list[Credit]:
    return [_unpacked(buffer, at) for at in range(0, len(buffer), _FIELDS)]


class Attribution:
    """Credits outcomes to the factors of the pooled model, re-crediting young channels."""

    def __init__(self, stats: PooledStats) -> None:
        self.stats = stats
        self.young: dict[int, array[float]] = {}  # packed credits of channels still young
        self.outcome_count: dict[int, int] = {}

    def add(self, credit: Credit, priors: Priors) -> None:
        """Fold a new outcome in (the stats' reference time must already cover its day)."""
        stats = self.stats
        weight = self._weight(credit.day)
        y = credit.responders * weight
        stats.channel_y[credit.channel] += y
        stats.weekday_y[credit.weekday] += y
        stats.prompt_y[credit.prompt] += y
        stats.taste_y[credit.channel, credit.category] += y
        self._credit(credit, priors, weight)
        count = self.outcome_count.get(credit.channel, 0) + 1
        self.outcome_count[credit.channel] = count
        if count <= _LAST_CHECKPOINT:
            buffer = self.young.setdefault(credit.channel, array("d"))
            buffer.extend(_packed(credit))
            if count in REATTRIBUTE_AT:
                for at in range(0, len(buffer), _FIELDS):
                    earlier = _unpacked(buffer, at)
                    self._withdraw(earlier)
                    self._credit(earlier, priors, self._weight(earlier.day))
                    buffer[at + _EXPOSURES.start : at + _EXPOSURES.stop] = array(
                        "d", _packed(earlier)[_EXPOSURES]
                    )
            if count == _LAST_CHECKPOINT:
                del self.young[credit.channel]

    def _weight(self, day: float) -> float:
        reference = self.stats.reference
        return 1.0 if reference is None else math.exp(self.stats.decay_rate * (day - reference))

    def _withdraw(self, credit: Credit) -> None:
        stats, weight = self.stats, self._weight(credit.day)
        stats.channel_e[credit.channel] -= credit.channel_e * weight
        stats.weekday_e[credit.weekday] -= credit.weekday_e * weight
        stats.prompt_e[credit.prompt] -= credit.prompt_e * weight
        stats.taste_e[credit.channel, credit.category] -= credit.taste_e * weight

    def _credit(self, credit: Credit, priors: Priors, weight: float) -> None:
        """Add the exposures of `credit` given the current means of the other factors."""
        # `.item` reads Python floats: the same doubles, but scalar arithmetic on them is
        # several times faster than on numpy scalars (a replay folds in every outcome).
        stats = self.stats
        k, c, g, w = credit.prompt, credit.channel, credit.category, credit.weekday
        now = 1.0 / weight  # stored sums -> sums discounted to the outcome's day
        own = credit.responders  # the other factors' means leave this outcome out
        in_range = g < priors.quality_shape.size
        quality_shape = float(priors.quality_shape[g]) if in_range else 1.0
        quality_mean = float(priors.quality_mean[g]) if in_range else 1.0
        quality = (quality_shape + now * stats.prompt_y.item(k) - own) / (
            quality_shape / quality_mean + now * stats.prompt_e.item(k)
        )
        taste = (priors.taste_shape + now * stats.taste_y.item(c, g) - own) / (
            priors.taste_shape + now * stats.taste_e.item(c, g)
        )
        weekday = (priors.weekday_shape + now * stats.weekday_y.item(w) - own) / (
            priors.weekday_shape + now * stats.weekday_e.item(w)
        )
        n = credit.audience
        credit.channel_e = n * weekday * quality * taste
        stats.channel_e[c] += credit.channel_e * weight
        base = (priors.base_shape + now * stats.channel_y.item(c)) / (
            priors.base_shape / priors.base_mean + now * stats.channel_e.item(c)
        )
        credit.weekday_e = n * base * quality * taste
        credit.prompt_e = n * base * weekday * taste
        credit.taste_e = n * base * weekday * quality
        stats.weekday_e[w] += credit.weekday_e * weight
        stats.prompt_e[k] += credit.prompt_e * weight
        stats.taste_e[c, g] += credit.taste_e * weight

    def state_dict(self) -> dict[str, Any]:
        return {
            "young": {c: [astuple(x) for x in _credits(xs)] for c, xs in self.young.items()},
            "outcome_count": dict(self.outcome_count),
        }

    def load_state(self, state: dict[str, Any]) -> None:
        self.young = {
            int(c): array("d", [v for x in xs for v in _packed(Credit(*x))])
            for c, xs in state["young"].items()
        }
        self.outcome_count = {int(c): int(n) for c, n in state["outcome_count"].items()}
