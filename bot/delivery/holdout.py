"""The holdout: a share of slots gets a prompt drawn uniformly from the eligible set, so the
policy's lift over random can be measured (bot.learning.lift).

Both draws are read from a hash of the slot's marker: reproducible, independent of the
policy's random state, and the same whichever worker claims the slot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from bot.core.records import PickProvenance
from bot.learning.selection import Candidate, Pick, PickContext, Policy

DEFAULT_HOLDOUT = 0.10


def check_share(share: float, name: str = "holdout") -> float:
    """A holdout share in 0..1, or a ValueError naming the field and the allowed range."""
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"{name}: {share} must be a share between 0 and 1 (0 turns it off)")
    return share


def _unit(marker: str, salt: str) -> float:
    digest = hashlib.sha256(f"{salt}:{marker}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_holdout(marker: str, share: float) -> bool:
    """Whether this slot is in the holdout (true for about `share` of markers)."""
    return _unit(marker, "arm") < share


def pick_with_holdout(
    policy: Policy,
    candidates: Sequence[Candidate],
    context: PickContext,
    marker: str,
    share: float,
) -> tuple[Pick, PickProvenance]:
    """The policy's pick, or for a holdout slot a uniform one (the policy is not asked, and the
    pick's probability under the policy is unknown: None)."""
    if is_holdout(marker, share):
        index = min(int(_unit(marker, "pick") * len(candidates)), len(candidates) - 1)
        return Pick(candidates[index].prompt_id, None), PickProvenance("holdout", len(candidates))
    pick = policy.pick(candidates, context)
    return pick, PickProvenance("policy", len(candidates), pick.draws)


def parse_share(text: str) -> float | None:
    """A community's holdout from text: a share 0..1 (or a percentage like 10%), or
    `default` (None: follow TIGERBIRD_HOLDOUT). ValueError names the allowed values."""
    cleaned = text.strip().lower()
    if cleaned == "default":
        return None
    try:
        share = float(cleaned[:-1]) / 100 if cleaned.endswith("%") else float(cleaned)
    except ValueError:
        share = float("nan")
    if not 0.0 <= share <= 1.0:  # NaN fails too
        raise ValueError(
            f"holdout: '{text}' must be a share between 0 and 1 (e.g. 0.1 or 10%), "
            "0 to turn it off, or default"
        )
    return share
