"""What must hold in the database and on the platforms once the bot has recovered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import text

from bot.core.domain import PostStatus
from bot.storage.engine import make_engine
from tests.reliability.world import World

UNIQUENESS = {
    "posts": "schedule_id, slot_at",
    "responses": "post_id, member_key, kind, emoji",
}


@dataclass
class Tally:
    """Figures of one trial, for the assertions and for docs/reliability.md."""

    posted: int = 0
    skipped: int = 0
    duplicates: int = 0
    lost: int = 0
    unresolved: int = 0


async def database_problems(url: str) -> list[str]:
    """SQL-level checks: storage integrity, no duplicate keys, no row left claimed."""
    problems: list[str] = []
    engine = make_engine(url)
    async with engine.connect() as conn:
        if url.startswith("sqlite"):
            verdict = (await conn.execute(text("PRAGMA integrity_check"))).scalar()
            if verdict != "ok":
                problems.append(f"integrity_check: {verdict}")
        for table, key in UNIQUENESS.items():
            query = f"SELECT {key}, COUNT(*) FROM {table} GROUP BY {key} HAVING COUNT(*) > 1"
            problems += [f"duplicate {table}: {tuple(r)}" for r in await conn.execute(text(query))]
        claimed = await conn.execute(text("SELECT id FROM posts WHERE status = 'claimed'"))
        problems += [f"post {row[0]} left claimed" for row in claimed]
    await engine.dispose()
    return problems


async def tally(world: World) -> tuple[Tally, list[str]]:
    """Compare every seeded schedule's post rows with what the fakes received."""
    from bot.app.bootstrap import open_database

    engine, uow = await open_database(world.settings())
    async with uow() as u:
        posts = await u.posts.all()
    await engine.dispose()
    rows = Counter(p.schedule_id for p in posts)
    result, problems = Tally(), []
    by_schedule = {p.schedule_id: p for p in posts}
    for schedule_id, planned in world.plan.items():
        on_platform = world.prompts_in(planned)
        row = by_schedule.get(schedule_id)
        if rows[schedule_id] != 1 or row is None:
            problems.append(f"schedule {schedule_id}: {rows[schedule_id]} post rows")
            continue
        if planned.must_post:
            result.posted += on_platform == 1
            result.duplicates += max(on_platform - 1, 0)
            result.lost += on_platform == 0
            if row.status is not PostStatus.SENT or not row.message_id:
                problems.append(f"schedule {schedule_id}: row {row.status} ({row.error})")
        else:
            result.skipped += row.status is PostStatus.SKIPPED
            result.duplicates += on_platform
            if row.status is not PostStatus.SKIPPED:
                problems.append(f"schedule {schedule_id}: late slot {row.status}, not skipped")
        result.unresolved += row.status is PostStatus.CLAIMED
    return result, problems
