"""Managing a community's schedules from the dashboard: list, add, edit, pause, resume, skip the
next slot, remove and preview. Every schedule is loaded within the caller's community (another
community's reads as missing), only managers act, and every change goes to the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.authz import Access, Caller
from bot.core.domain import Schedule, SlotPreview
from bot.core.invocations import CommandError
from bot.core.ports import Missing, NewSchedule
from bot.scheduling.best_time import BestTime
from bot.scheduling.parse import ScheduleError
from bot.service_layer.audit_trail import AuditTrail
from bot.service_layer.schedule_form import (
    ScheduleForm,
    check_channel,
    parse_form,
    rhythm_text,
)
from bot.service_layer.services import Tigerbird

PAGE_SIZE = 50
PREVIEW_MAX = 30


@dataclass(frozen=True)
class SchedulePage:
    """One page of a community's schedules, by id; `total` counts them all."""

    schedules: tuple[Schedule, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class Added:
    schedule: Schedule
    missing: tuple[Missing, ...]  # permissions the bot lacks: the schedule starts paused


class ScheduleManagement:
    """The schedule use cases of the dashboard, scoped and audited."""

    def __init__(self, service: Tigerbird, access: Access, audit: AuditTrail) -> None:
        self.service = service
        self.access = access
        self.audit = audit

    async def page(self, caller: Caller, page: int = 1, size: int = PAGE_SIZE) -> SchedulePage:
        self.access.require_manager(caller)
        found, page, total = await self.service.schedule_page(caller.community.id, page, size)
        return SchedulePage(tuple(found), page, max(1, -(-total // size)), total)

    async def get(self, caller: Caller, schedule_id: int) -> Schedule:
        self.access.require_manager(caller)
        return await self.access.schedule(caller, schedule_id)

    async def add(
        self, caller: Caller, channel: str, form: ScheduleForm, force: bool = False
    ) -> Added:
        """Schedule a channel. A channel that has a schedule already is refused unless
        `force` (then it gets a second one)."""
        self.access.require_manager(caller)
        channel = check_channel(channel)
        options = parse_form(form)
        community = caller.community
        existing = await self.service.schedules_in_channel(
            community.platform, community.external_id, channel
        )
        if existing and not force:
            ids = ", ".join(f"#{s.id}" for s in existing)
            raise ScheduleError(
                "channel",
                f"{channel} already has schedule {ids}; tick 'add a second schedule' to add "
                "another one",
            )
        new = NewSchedule(
            community.id,
            channel,
            options.spec,
            catch_up=options.catch_up,
            repeat_window_days=options.repeat_window_days,
        )
        schedule, missing = await self.service.add_schedule(
            community.platform, community.external_id, new, community.name
        )
        await self.audit.record(
            caller,
            "schedule.add",
            f"schedule #{schedule.id} in {channel}: {rhythm_text(schedule.spec)}",
        )
        return Added(schedule, tuple(missing))

    async def edit(self, caller: Caller, schedule_id: int, form: ScheduleForm) -> Schedule:
        """Change the rhythm, zone, catch-up, repeat window and quiet dates; a changed rhythm
        re-arms the next slot from now."""
        schedule = await self.get(caller, schedule_id)
        options = parse_form(form, anchor=schedule.spec.anchor)
        changed = replace(
            schedule,
            spec=options.spec,
            catch_up=options.catch_up,
            repeat_window_days=options.repeat_window_days,
        )
        saved = await self.service.update_schedule(changed)
        await self.audit.record(
            caller,
            "schedule.edit",
            f"schedule #{schedule.id} in {schedule.channel}: {rhythm_text(saved.spec)}, "
            f"catch-up {saved.catch_up.value}, repeat window {saved.repeat_window_days} days",
        )
        return saved

    async def pause(self, caller: Caller, schedule_id: int) -> Schedule:
        schedule = await self.get(caller, schedule_id)
        saved = await self.service.pause(schedule.id)
        await self.audit.record(caller, "schedule.pause", f"schedule #{schedule.id} paused")
        return saved

    async def resume(self, caller: Caller, schedule_id: int) -> Schedule:
        schedule = await self.get(caller, schedule_id)
        saved = await self.service.resume(schedule.id)
        await self.audit.record(caller, "schedule.resume", f"schedule #{schedule.id} resumed")
        return saved

    async def skip_next(self, caller: Caller, schedule_id: int) -> Schedule:
        schedule = await self.get(caller, schedule_id)
        skipped = schedule.next_slot_at
        saved = await self.service.skip_next(schedule.id)
        when = f"{skipped:%Y-%m-%d %H:%M} UTC" if skipped else "the next slot"
        await self.audit.record(caller, "schedule.skip", f"schedule #{schedule.id}: skipped {when}")
        return saved

    async def remove(self, caller: Caller, schedule_id: int) -> None:
        schedule = await self.get(caller, schedule_id)
        await self.service.remove_schedule(schedule.id)
        await self.audit.record(
            caller, "schedule.remove", f"schedule #{schedule.id} in {schedule.channel} removed"
        )

    async def preview(self, caller: Caller, schedule_id: int, count: int = 7) -> list[SlotPreview]:
        """The next slots, local time and UTC (DST-correct), with the prompt each would get."""
        schedule = await self.get(caller, schedule_id)
        if not 1 <= count <= PREVIEW_MAX:
            raise CommandError(f"count: {count} must be 1..{PREVIEW_MAX}")
        return await self.service.preview(schedule.id, count)

    async def best_time(self, caller: Caller, schedule_id: int) -> BestTime | None:
        """The busiest local hour of the schedule's channel vs its current slot."""
        schedule = await self.get(caller, schedule_id)
        return await self.service.best_time(schedule.id)
