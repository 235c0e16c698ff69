"""Credible intervals for an engagement rate: the Beta posterior under Jeffreys' prior.

Pure Python (no SciPy): the regularised incomplete beta function by its continued fraction,
inverted by bisection, which is exact to far more digits than a chart shows.
"""

from __future__ import annotations

import functools
import math

JEFFREYS = 0.5
CREDIBLE_LEVEL = 0.9
_QUANTILE_TOLERANCE = 1e-12  # bisection stops here: a rate is never shown beyond 0.1 %


def _continued_fraction(a: float, b: float, x: float) -> float:
    tiny, eps = 1e-300, 1e-15
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """P(X <= x) for X ~ Beta(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _continued_fraction(b, a, 1.0 - x) / b


def _log_pdf(x: float, a: float, b: float) -> float:
    return (
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + (a - 1.0) * math.log(x)
        + (b - 1.0) * math.log1p(-x)
    )


def beta_quantile(q: float, a: float, b: float) -> float:
    """The x with P(X <= x) = q for X ~ Beta(a, b): Newton steps from the normal
    approximation, each kept inside a shrinking bisection bracket (so it always converges)."""
    low, high = 0.0, 1.0
    mean = a / (a + b)
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1.0)))
    z = 1.2815515655446004 if q > 0.5 else -1.2815515655446004 if q < 0.5 else 0.0
    x = min(max(mean + z * sd, 1e-12), 1.0 - 1e-12)
    for _ in range(200):
        error = beta_cdf(x, a, b) - q
        if error < 0.0:
            low = x
        else:
            high = x
        if high - low <= _QUANTILE_TOLERANCE or abs(error) < 1e-14:
            break
        density = math.exp(_log_pdf(x, a, b))
        guess = x - error / density if density > 0.0 else -1.0
        x = guess if low < guess < high else (low + high) / 2.0
    return x


@functools.lru_cache(maxsize=65_536)
def credible_interval(
    responders: int, audience: int, level: float = CREDIBLE_LEVEL
) -> tuple[float, float]:
    """Equal-tailed interval of Beta(responders + ½, audience − responders + ½)."""
    a = responders + JEFFREYS
    b = max(audience - responders, 0) + JEFFREYS
    tail = (1.0 - level) / 2.0
    return beta_quantile(tail, a, b), beta_quantile(1.0 - tail, a, b)


def posterior_mean(responders: int, audience: int) -> float:
    return (responders + JEFFREYS) / (audience + 2 * JEFFREYS)
