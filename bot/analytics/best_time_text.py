"""The best time to post, in words: for `/tigerbird besttime`, the CLI, the dashboard and the
weekly digest's line."""

from __future__ import annotations

import math

from bot.scheduling.best_time import MIN_DAYS, BestTime, HourActivity

NOT_ENOUGH = (
    f"Not enough activity yet: the best time needs at least {MIN_DAYS} days of members seen "
    "in this channel (Tigerbird counts members per hour, never what they write)."
)


def _hour(activity: HourActivity) -> str:
    return f"{activity.hour:02d}:00"


def _who(activity: HourActivity, rate: float | None) -> str:
    expected = activity.expected(rate)
    responders = "" if expected is None else f", ≈ {expected:.1f} expected responders"
    return f"{activity.mean:.1f} active members{responders}"


def gain_text(result: BestTime) -> str:
    gain = result.gain
    if gain is None:
        return "no change"
    return "more than anyone now" if math.isinf(gain) else f"{gain:+.0%}"


def confidence_text(result: BestTime) -> str:
    noise = (
        "larger than the day-to-day noise"
        if result.credible
        else "within the day-to-day noise, so it may not last"
    )
    return (
        f"Confidence {result.confidence}: {result.weeks:.1f} weeks of activity "
        f"({result.days} days); the difference is {noise}."
    )


def best_time_text(result: BestTime | None, timezone: str) -> str:
    """What to answer `besttime` / `schedule suggest-time` with."""
    if result is None:
        return NOT_ENOUGH
    best, current = result.best, result.current
    if best.hour == current.hour:
        return (
            f"The current slot ({_hour(current)} {timezone}) is already the busiest hour: "
            f"{_who(current, result.rate)}. {confidence_text(result)}"
        )
    return (
        f"Best time to post: {_hour(best)} {timezone} — {_who(best, result.rate)} per day, "
        f"vs {_who(current, result.rate)} at the current slot ({_hour(current)}): "
        f"{gain_text(result)}. {confidence_text(result)}"
    )


def digest_line(result: BestTime | None, timezone: str) -> str | None:
    """The digest's suggestion, only when a move gains at least 20 %, credibly, on at least two
    weeks of data."""
    if result is None or not result.worth_a_digest_line:
        return None
    return (
        f"Best time: posting at {_hour(result.best)} instead of {_hour(result.current)} "
        f"({timezone}) would reach {gain_text(result)} active members "
        f"({result.weeks:.0f} weeks of data); see `/tigerbird besttime`."
    )
