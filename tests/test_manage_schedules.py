"""The dashboard's schedule use cases: scoped to the caller's community, managers only, every
change in the audit log; on the memory store, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.core.authz import Access, Caller
from bot.core.domain import CatchUp, PlatformName, PostStatus
from bot.core.invocations import CommandError, Invocation
from bot.core.ports import UnitOfWorkFactory
from bot.scheduling.parse import ScheduleError
from bot.service_layer.dashboard import Management, build_management
from bot.service_layer.schedule_form import ScheduleForm
from bot.testing.platform import FrozenClock
from tests.conftest import START
from tests.helpers import drafts, make_service


def _inv(community: str, member: str, admin: bool = True) -> Invocation:
    return Invocation(PlatformName.SLACK, community, "C0", member, member_is_admin=admin)


async def _setup(store: UnitOfWorkFactory) -> tuple[Management, Caller, Caller, Caller]:
    service, _ = make_service(store, FrozenClock(START))
    await service.add_prompts(drafts(12))
    access = Access(store)
    manage = build_management(service, access)
    acme = await access.caller(_inv("T1", "U1"))
    other = await access.caller(_inv("T2", "U9"))
    member = await access.caller(_inv("T1", "U2", admin=False))
    return manage, acme, other, member


async def test_add_edit_and_audit(store: UnitOfWorkFactory) -> None:
    manage, acme, _, _ = await _setup(store)
    form = ScheduleForm(times="09:00,17:30", timezone="Europe/Paris", days="mon-fri")
    added = await manage.schedules.add(acme, "#general", form)
    schedule = added.schedule
    assert schedule.channel == "general" and schedule.community_id == acme.community.id
    assert schedule.spec.times == (time(9, 0), time(17, 30)) and schedule.spec.days == set(range(5))
    edited = await manage.schedules.edit(
        acme,
        schedule.id,
        ScheduleForm(
            times="08:15",
            timezone="America/New_York",
            rhythm="every",
            every_days="3",
            catch_up="all",
            repeat_window="30",
            quiet_dates="2026-12-25",
        ),
    )
    assert edited.spec.every_days == 3 and edited.spec.timezone == "America/New_York"
    assert edited.catch_up is CatchUp.ALL and edited.repeat_window_days == 30
    assert edited.spec.quiet_dates == {date(2026, 12, 25)}
    page = await manage.audit.page(acme)
    assert [e.action for e in page.entries] == ["schedule.edit", "schedule.add"]
    assert {e.actor for e in page.entries} == {"slack:U1"}
    assert "every 3 days at 08:15 (America/New_York)" in page.entries[0].detail


async def test_cron_and_bad_fields_name_the_field(store: UnitOfWorkFactory) -> None:
    manage, acme, _, _ = await _setup(store)
    cron = await manage.schedules.add(acme, "C1", ScheduleForm(rhythm="cron", cron="0 9 * * 1-5"))
    assert cron.schedule.spec.cron == "0 9 * * 1-5"
    bad = [
        (ScheduleForm(timezone="Mars/Base"), "timezone"),
        (ScheduleForm(times="25:00"), "times"),
        (ScheduleForm(rhythm="every", every_days="0"), "every_days"),
        (ScheduleForm(catch_up="sometimes"), "catch_up"),
        (ScheduleForm(repeat_window="-1"), "repeat_window"),
        (ScheduleForm(quiet_dates="christmas"), "quiet_dates"),
        (ScheduleForm(rhythm="cron", cron="61 * * * *"), "cron"),
    ]
    for form, field in bad:
        with pytest.raises(ScheduleError) as error:
            await manage.schedules.add(acme, "C2", form)
        assert error.value.field == field
    with pytest.raises(ScheduleError) as taken:
        await manage.schedules.add(acme, "C1", ScheduleForm())
    assert taken.value.field == "channel"
    assert (await manage.schedules.add(acme, "C1", ScheduleForm(), force=True)).schedule
    assert (await manage.schedules.page(acme)).total == 2


async def test_pause_resume_skip_remove(store: UnitOfWorkFactory) -> None:
    manage, acme, _, _ = await _setup(store)
    schedule = (await manage.schedules.add(acme, "C1", ScheduleForm(times="09:00"))).schedule
    assert schedule.next_slot_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert (await manage.schedules.pause(acme, schedule.id)).paused
    assert not (await manage.schedules.resume(acme, schedule.id)).paused
    skipped = await manage.schedules.skip_next(acme, schedule.id)
    assert skipped.next_slot_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    async with store() as u:
        posts = await u.posts.all(schedule.id)
    assert [(p.slot_at.day, p.status) for p in posts] == [(2, PostStatus.SKIPPED)]
    await manage.schedules.remove(acme, schedule.id)
    assert (await manage.schedules.page(acme)).total == 0
    actions = [e.action for e in (await manage.audit.page(acme)).entries]
    assert actions == [
        "schedule.remove",
        "schedule.skip",
        "schedule.resume",
        "schedule.pause",
        "schedule.add",
    ]


async def test_preview_is_dst_correct_with_prompts(store: UnitOfWorkFactory) -> None:
    manage, acme, _, _ = await _setup(store)
    form = ScheduleForm(times="02:30", timezone="Europe/Paris")  # 29 March 2026: no 02:30
    schedule = (await manage.schedules.add(acme, "C1", form)).schedule
    assert schedule.next_slot_at == datetime(2026, 3, 3, 1, 30, tzinfo=UTC)
    for _ in range(25):  # skipped up to 28 March
        await manage.schedules.skip_next(acme, schedule.id)
    previews = await manage.schedules.preview(acme, schedule.id, 3)
    assert [p.slot_at for p in previews] == [
        datetime(2026, 3, 28, 1, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00 CEST, the first valid instant
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),
    ]
    assert [p.local.strftime("%H:%M") for p in previews] == ["02:30", "03:00", "02:30"]
    assert all(p.prompt is not None for p in previews)
    assert len({p.prompt.id for p in previews if p.prompt}) == 3


async def test_other_community_reads_as_missing_and_members_are_refused(
    store: UnitOfWorkFactory,
) -> None:
    manage, acme, other, member = await _setup(store)
    schedule = (await manage.schedules.add(acme, "C1", ScheduleForm())).schedule
    for act in (
        manage.schedules.pause,
        manage.schedules.resume,
        manage.schedules.skip_next,
        manage.schedules.remove,
        manage.schedules.get,
    ):
        with pytest.raises(CommandError, match=f"no schedule with id {schedule.id}$"):
            await act(other, schedule.id)
        with pytest.raises(CommandError, match="Only the community's managers"):
            await act(member, schedule.id)
    with pytest.raises(CommandError, match=f"no schedule with id {schedule.id}$"):
        await manage.schedules.edit(other, schedule.id, ScheduleForm(times="10:00"))
    with pytest.raises(CommandError, match=r"no schedule with id 999999$"):
        await manage.schedules.pause(other, 999999)
    assert (await manage.schedules.page(other)).total == 0
    assert not (await manage.schedules.get(acme, schedule.id)).paused
    assert (await manage.audit.page(other)).entries == ()
    with pytest.raises(CommandError):
        await manage.audit.page(member)


async def test_pages_of_schedules(store: UnitOfWorkFactory) -> None:
    manage, acme, _, _ = await _setup(store)
    for n in range(5):
        await manage.schedules.add(acme, f"C{n}", ScheduleForm())
    first = await manage.schedules.page(acme, 1, size=2)
    last = await manage.schedules.page(acme, 9, size=2)
    assert (first.pages, first.total, len(first.schedules)) == (3, 5, 2)
    assert (last.page, [s.channel for s in last.schedules]) == (3, ["C4"])
