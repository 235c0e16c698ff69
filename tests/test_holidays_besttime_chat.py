"""`/tigerbird settings holidays …`, the preview naming a holiday, and `/tigerbird besttime`:
managers only, each within the caller's own community and channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName
from bot.core.invocations import Invocation
from bot.core.ports import ActivityRecord
from bot.testing.memory import MemoryStore
from bot.testing.platform import FrozenClock
from tests.helpers import drafts, make_service

DEC_20 = datetime(2026, 12, 20, 8, 0, tzinfo=UTC)


def _setup() -> tuple[ChatCommands, MemoryStore]:
    store = MemoryStore()
    service, _ = make_service(store, FrozenClock(DEC_20))
    return ChatCommands(service, "UTC"), store


def _inv(community: str = "T1", admin: bool = True, member: str = "U1") -> Invocation:
    return Invocation(PlatformName.SLACK, community, "C1", member, admin)


async def test_settings_holidays_change_show_and_refuse() -> None:
    commands, _ = _setup()
    await commands.service.sync_library(drafts(20))
    await commands.run(_inv(), "here 09:00 America/New_York")
    reply = await commands.run(_inv(), "settings holidays us,ca category:small-joys")
    assert reply.text == "holidays set to US,CA (category:small-joys)." and not reply.refused
    [schedule] = await commands.service.list_schedules()
    assert schedule.spec.holidays == ("US", "CA")
    assert schedule.spec.holiday_category == "small-joys"
    shown = (await commands.run(_inv(), "settings")).text
    assert "holidays US,CA (category:small-joys)" in shown
    kept = await commands.run(_inv(), "settings holidays DE-BY")  # the category stays
    assert kept.text == "holidays set to DE-BY (category:small-joys)."
    for text, expected in [
        ("settings holidays XX", "holidays: 'XX' is not a country"),
        ("settings holidays DE-ZZ", "DE has no subdivision 'ZZ'"),
        ("settings holidays US category:snacks", "'category:snacks' is not a category"),
        ("settings holidays US lighter", "on_holiday: 'lighter' is not allowed"),
    ]:
        refused = await commands.run(_inv(), text)
        assert refused.refused and expected in refused.text, (text, refused.text)
    [unchanged] = await commands.service.list_schedules()
    assert unchanged.spec.holidays == ("DE-BY",)
    off = await commands.run(_inv(), "settings holidays none")
    assert off.text == "holidays set to none."
    [cleared] = await commands.service.list_schedules()
    assert cleared.spec.holidays == () and cleared.spec.holiday_category is None
    member = await commands.run(_inv(admin=False, member="U2"), "settings holidays US")
    assert member.refused and member.text.startswith("Only the community's managers")


async def test_the_chat_preview_names_the_holiday() -> None:
    commands, _ = _setup()
    await commands.service.sync_library(drafts(20))
    await commands.run(_inv(), "here 09:00 America/New_York")
    await commands.run(_inv(), "settings holidays US")
    lines = (await commands.run(_inv(), "preview 7")).text.splitlines()
    christmas = [line for line in lines if line.startswith("Fri 25 Dec")]
    assert christmas == ["Fri 25 Dec 09:00 — (skipped) [holiday: Christmas Day (US)]"]
    assert all("holiday" not in line for line in lines if line not in christmas)


async def test_besttime_is_per_channel_and_per_community() -> None:
    commands, store = _setup()
    await commands.run(_inv("T1"), "here 09:00")
    await commands.run(_inv("T2"), "here 09:00")
    [ours, theirs] = await commands.service.list_schedules()
    records = [
        ActivityRecord(theirs.community_id, "C1", f"m{i}", DEC_20 - timedelta(days=d, hours=5))
        for d in range(1, 15)
        for i in range(8)
    ]
    async with store() as u:
        await u.activity.seen_many(records)
        await u.commit()
    mine = await commands.run(_inv("T1"), "besttime")
    assert mine.text.startswith("Not enough activity yet") and not mine.refused
    other = await commands.run(_inv("T2"), "besttime")
    assert "Best time to post: 03:00 UTC" in other.text and "2.0 weeks" in other.text
    member = await commands.run(_inv("T2", admin=False, member="U2"), "besttime")
    assert member.refused
    assert ours.community_id != theirs.community_id
