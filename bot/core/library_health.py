"""A community's library-health settings: when proven prompts are recycled, after how long,
and whether suggestions reach the reviewers anonymously.

They are small community-wide facts, kept in the bot's key/value state (`StateRepository`)
under one key per community, so every store holds them without a schema change.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum

from bot.core.ports import StateRepository

RECYCLE_AFTER_LIMITS = (1, 3650)


class RecycleMode(StrEnum):
    """When proven prompts may come back (bot.delivery.recycle)."""

    ALWAYS = "always"
    WHEN_EMPTY = "when-empty"
    OFF = "off"


@dataclass(frozen=True)
class LibraryHealthSettings:
    """A community's recycling rule and its anonymous-suggestions switch."""

    recycle: RecycleMode = RecycleMode.WHEN_EMPTY
    recycle_after_days: int = 180
    anonymous_suggestions: bool = False


def settings_key(community_id: int) -> str:
    return f"library_health:{community_id}"


async def load_health_settings(state: StateRepository, community_id: int) -> LibraryHealthSettings:
    """The community's settings; the defaults if none were ever stored."""
    raw = await state.get(settings_key(community_id))
    if not raw:
        return LibraryHealthSettings()
    stored = json.loads(raw)
    default = LibraryHealthSettings()
    return LibraryHealthSettings(
        recycle=RecycleMode(stored.get("recycle", default.recycle.value)),
        recycle_after_days=int(stored.get("recycle_after_days", default.recycle_after_days)),
        anonymous_suggestions=bool(
            stored.get("anonymous_suggestions", default.anonymous_suggestions)
        ),
    )


async def save_health_settings(
    state: StateRepository, community_id: int, settings: LibraryHealthSettings
) -> None:
    values = asdict(settings) | {"recycle": settings.recycle.value}
    await state.put(settings_key(community_id), json.dumps(values, sort_keys=True))
