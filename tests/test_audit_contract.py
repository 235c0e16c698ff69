"""The audit log behaves alike on memory, SQLite and PostgreSQL: per community, newest first,
paginated by cursor, and written only when the unit of work commits."""

from __future__ import annotations

from datetime import timedelta

from bot.core.domain import PlatformName
from bot.core.ports import UnitOfWorkFactory
from tests.conftest import START


async def _communities(store: UnitOfWorkFactory) -> tuple[int, int]:
    async with store() as u:
        first = await u.communities.ensure(PlatformName.SLACK, "T1", "Acme")
        second = await u.communities.ensure(PlatformName.DISCORD, "G1", "Guild")
        await u.commit()
    return first.id, second.id


async def test_entries_are_read_back_newest_first_per_community(store: UnitOfWorkFactory) -> None:
    acme, guild = await _communities(store)
    async with store() as u:
        for n in range(3):
            await u.audit.add(acme, "slack:U1", "schedule.pause", f"change {n}", START)
        await u.audit.add(guild, "discord:9", "prompt.add", "other tenant", START)
        await u.commit()
    async with store() as u:
        page = await u.audit.page(acme, limit=10)
        assert [e.detail for e in page.entries] == ["change 2", "change 1", "change 0"]
        assert {e.actor for e in page.entries} == {"slack:U1"}
        assert page.entries[0].at == START
        assert page.before is None
        assert await u.audit.count(acme) == 3
        assert [e.detail for e in (await u.audit.page(guild, 10)).entries] == ["other tenant"]


async def test_pages_follow_the_cursor_without_gaps_or_repeats(store: UnitOfWorkFactory) -> None:
    acme, _ = await _communities(store)
    async with store() as u:
        for n in range(7):
            await u.audit.add(acme, "operator", "prompt.add", str(n), START + timedelta(minutes=n))
        await u.commit()
    seen: list[str] = []
    before: int | None = None
    async with store() as u:
        for _ in range(4):
            page = await u.audit.page(acme, limit=3, before=before)
            seen += [e.detail for e in page.entries]
            before = page.before
            if before is None:
                break
    assert seen == ["6", "5", "4", "3", "2", "1", "0"]


async def test_an_entry_not_committed_is_not_kept(store: UnitOfWorkFactory) -> None:
    acme, _ = await _communities(store)
    async with store() as u:
        await u.audit.add(acme, "operator", "schedule.remove", "rolled back", START)
    async with store() as u:
        assert await u.audit.count(acme) == 0
        assert (await u.audit.page(acme, 5)).entries == ()


async def test_text_is_stored_raw(store: UnitOfWorkFactory) -> None:
    acme, _ = await _communities(store)
    detail = "<script>alert(1)</script> & @everyone “quotes” 🐯"
    async with store() as u:
        await u.audit.add(acme, "slack:U<1>", "prompt.edit", detail, START)
        await u.commit()
    async with store() as u:
        (entry,) = (await u.audit.page(acme, 1)).entries
    assert (entry.actor, entry.detail) == ("slack:U<1>", detail)
