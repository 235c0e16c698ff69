"""The measured lift in words, for stats and the digest (see bot.learning.lift)."""

from __future__ import annotations

from bot.learning.lift import LiftReport


def lift_line(report: LiftReport, where: str) -> str:
    """'Lift over random picks here: 1.32x random (90 % interval 1.10-1.58), 240 posts
    (24 holdout) · off-policy 1.28x …' or 'not enough data yet'."""
    text = f"Lift over random picks {where}: {report.holdout.describe()}"
    if report.holdout.ready:
        text += f", {report.holdout_posts} of them holdout"
    if report.off_policy.ready:
        text += f" · off-policy estimate {report.off_policy.describe()}"
    return text
