"""Slot bookkeeping shared by delivery and learning: markers, channel keys, catch-up plans."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.domain import CatchUp, Community, Schedule
from bot.scheduling.slot_times import slots_between

MISSED_SLOTS_RECORDED = 50
# Due schedules are claimed in this order within a slot time: Knuth's multiplicative hash of
# the id, so that consecutive ids (one community's channels, created together) spread over
# the claim batches and every community's first posts go out early. Slack's limits are per
# workspace: claiming one workspace after another left the last ones waiting on their own.
SPREAD_MULTIPLIER = 2654435761
SPREAD_MODULUS = 2**32


def spread_key(schedule_id: int) -> int:
    return (schedule_id * SPREAD_MULTIPLIER) % SPREAD_MODULUS


def slot_marker(schedule_id: int, slot_at: datetime) -> str:
    """Identifies one slot on the platform (fits Discord's 25-character nonce)."""
    return f"tb:{schedule_id}:{int(slot_at.timestamp())}"


def channel_key(community: Community, channel: str) -> str:
    return f"{community.platform.value}:{community.external_id}:{channel}"


def plan_slots(
    schedule: Schedule, now: datetime, grace: timedelta
) -> tuple[list[datetime], list[datetime]]:
    """Split the due slots into (to post, to record as skipped) by the catch-up policy; a
    schedule with no next slot has none due."""
    if schedule.next_slot_at is None:
        return [], []
    due = {
        schedule.next_slot_at,
        *slots_between(schedule.spec, schedule.next_slot_at, now, MISSED_SLOTS_RECORDED),
    }
    ordered = sorted(s for s in due if s <= now)[-MISSED_SLOTS_RECORDED:]
    on_time = [s for s in ordered if now - s <= grace]
    late = [s for s in ordered if now - s > grace]
    if schedule.catch_up is CatchUp.SKIP or (on_time and schedule.catch_up is CatchUp.LATEST):
        return on_time, late
    if schedule.catch_up is CatchUp.LATEST:
        return late[-1:], late[:-1]
    keep = max(schedule.catch_up_limit, 1)
    return late[-keep:] + on_time, late[:-keep]
