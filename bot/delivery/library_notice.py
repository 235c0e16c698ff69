"""The managers' days-left notice: told once when a channel's library drops below
`LOW_DAYS_LEFT` days (bot.learning.days_left), naming its short categories; told again only
after it has recovered to at least that many days first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.core.domain import Schedule
from bot.core.ports import UnitOfWork
from bot.learning.days_left import LOW_DAYS_LEFT, schedule_days_left
from bot.learning.selection import Candidate
from bot.scheduling.slot_times import slots_between

_LOW, _OK = "low", "ok"


def notice_key(schedule_id: int) -> str:
    return f"days_left_low:{schedule_id}"


async def _is_low(
    u: UnitOfWork, schedule: Schedule, pool: Sequence[Candidate], eligible_now: int, slot: datetime
) -> tuple[bool, str]:
    # Prompts only come back as the window passes: if the prompts eligible now fill every slot
    # of the next LOW_DAYS_LEFT days, the library lasts at least that long (no history read).
    tiny = timedelta(microseconds=1)
    end = slot + timedelta(days=LOW_DAYS_LEFT) - tiny
    if len(slots_between(schedule.spec, slot - tiny, end, eligible_now + 1)) <= eligible_now:
        return False, ""
    left = await schedule_days_left(u.posts, schedule, pool, slot)
    if not left.low:
        return False, ""
    return True, (
        f"About {left.label()} of prompts are left for #{schedule.channel} before repeats "
        f"start (repeat window {schedule.repeat_window_days} days). Shortest categories: "
        f"{left.short_label() or 'none'}. Add prompts with `/tigerbird add`, widen the "
        "categories, shorten the repeat window, or let proven prompts come back "
        "(`/tigerbird settings recycle when-empty`)."
    )


async def days_left_notice(
    u: UnitOfWork, schedule: Schedule, pool: Sequence[Candidate], eligible_now: int, slot: datetime
) -> str | None:
    """The notice text if this slot finds the library newly low, else None (state kept in
    the unit of work, so it commits with the claim)."""
    low, text = await _is_low(u, schedule, pool, eligible_now, slot)
    stored = await u.state.get(notice_key(schedule.id))
    if low and stored != _LOW:
        await u.state.put(notice_key(schedule.id), _LOW)
        return text
    if not low and stored == _LOW:
        await u.state.put(notice_key(schedule.id), _OK)
    return None
