"""The hourly activity counts in SQL (table activity_hours): each batch of sightings reads its
members' last-seen times once, then adds what each (channel, hour) gained in one upsert."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.activity_hours import MemberKey, new_in_hours
from bot.core.records import ActivityRecord
from bot.storage.dialect import dialect_insert
from bot.storage.models import ActivityHourRow, ActivityRow

CHUNK = 1000
ACTIVITY_HOURS = cast(Table, ActivityHourRow.__table__)


async def count_hours(session: AsyncSession, seen: Sequence[ActivityRecord]) -> None:
    """Add the members `seen` brings to each hour; call before their last-seen is upserted."""
    if not seen:
        return
    wanted = {(s.community_id, s.channel, s.member_key) for s in seen}
    communities = {key[0] for key in wanted}
    members = sorted({key[2] for key in wanted})
    last_seen: dict[MemberKey, datetime] = {}
    for start in range(0, len(members), CHUNK):  # IN lists within the drivers' limits
        rows = await session.execute(
            select(
                ActivityRow.community_id, ActivityRow.channel, ActivityRow.member_key,
                ActivityRow.last_seen,
            ).where(
                ActivityRow.community_id.in_(communities),
                ActivityRow.member_key.in_(members[start : start + CHUNK]),
            )
        )  # fmt: skip
        for community_id, channel, member_key, at in rows:
            if (community_id, channel, member_key) in wanted:
                last_seen[(community_id, channel, member_key)] = at
    gained = new_in_hours(seen, last_seen)
    if not gained:
        return
    values = [
        {"community_id": c, "channel": ch, "hour_at": hour, "members": n}
        for (c, ch, hour), n in sorted(gained.items())
    ]
    statement = dialect_insert(session)(ACTIVITY_HOURS)
    upsert = statement.on_conflict_do_update(
        index_elements=["community_id", "channel", "hour_at"],
        set_={"members": ACTIVITY_HOURS.c.members + statement.excluded.members},
    )
    await (await session.connection()).execute(upsert, values)


async def hourly(
    session: AsyncSession, community_id: int, channel: str, since: datetime
) -> list[tuple[datetime, int]]:
    rows = await session.execute(
        select(ActivityHourRow.hour_at, ActivityHourRow.members)
        .where(
            ActivityHourRow.community_id == community_id,
            ActivityHourRow.channel == channel,
            ActivityHourRow.hour_at >= since,
        )
        .order_by(ActivityHourRow.hour_at)
    )
    return [(at, members) for at, members in rows]
