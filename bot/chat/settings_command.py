"""`/tigerbird settings`: show and change one schedule's options and the community's managers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from typing import Protocol

from bot.chat.mentions import member_id, ping_role
from bot.core.domain import CatchUp, Community, Schedule
from bot.core.invocations import CommandError
from bot.delivery.holdout import parse_share
from bot.library import CATEGORIES
from bot.scheduling.holiday_calendars import on_holiday_text, parse_holidays, parse_on_holiday
from bot.service_layer.schedule_form import check_holiday_category

ON_OFF = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}
NAMES = (
    "thread, pin, catch-up, repeat-window, categories, ping-role, managers, manager-roles, "
    "review-channel, digest, digest-day, digest-time, holdout, holidays, recycle, recycle-after, "
    "anonymous-suggestions, streaks, regulars, best-answer"
)
# Member rituals (docs/analytics.md): on|off per channel; only streak milestones start on.
RITUALS = {"streaks": "streaks", "regulars": "regulars", "best-answer": "best_answer"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SettingsTarget(Protocol):
    """Where changed settings go (the Tigerbird service, or a draft that checks a whole form
    before anything is stored), and the clock digest changes count from."""

    def now(self) -> datetime: ...

    async def update_schedule(self, schedule: Schedule) -> Schedule: ...

    async def update_community(self, community: Community) -> None: ...


def describe_settings(schedule: Schedule, community: Community) -> str:
    categories = ", ".join(schedule.categories) or "all"
    return (
        f"thread {'on' if schedule.thread else 'off'} · pin {'on' if schedule.pin else 'off'} · "
        f"catch-up {schedule.catch_up.value} · repeat-window {schedule.repeat_window_days} days · "
        f"categories {categories} · ping-role {schedule.ping_role or 'off'} · "
        f"managers {len(community.manager_ids)} · "
        f"review-channel {community.review_channel or 'none'} · "
        f"digest {_digest(schedule)} · holdout {_holdout(community)} · "
        f"holidays {_holidays(schedule)} · "
        f"{_rituals(schedule)}"
    )


def _holidays(schedule: Schedule) -> str:
    spec = schedule.spec
    return f"{','.join(spec.holidays)} ({on_holiday_text(spec)})" if spec.holidays else "none"


def _holidays_setting(schedule: Schedule, values: list[str]) -> Schedule:
    """holidays US[,CA] [skip|category:NAME] / holidays none: the calendars the schedule
    follows and what it does on their holidays (skip unless a lighter category is named)."""
    calendars = parse_holidays(values[0])
    if len(values) > 1:
        category = parse_on_holiday(values[1])
    else:
        category = schedule.spec.holiday_category if calendars else None
    spec = replace(schedule.spec, holidays=calendars, holiday_category=category)
    return replace(schedule, spec=check_holiday_category(spec))


def _rituals(schedule: Schedule) -> str:
    return " · ".join(
        f"{name} {'on' if getattr(schedule, field) else 'off'}" for name, field in RITUALS.items()
    )


def with_ritual(schedule: Schedule, name: str, on: bool) -> Schedule:
    """The schedule with one ritual (a key of RITUALS) switched on or off."""
    if name == "streaks":
        return replace(schedule, streaks=on)
    if name == "regulars":
        return replace(schedule, regulars=on)
    return replace(schedule, best_answer=on)


def _holdout(community: Community) -> str:
    return "default" if community.holdout is None else f"{community.holdout:.0%}"


def _digest(schedule: Schedule) -> str:
    if not schedule.digest:
        return "off"
    return (
        f"{WEEKDAYS[schedule.digest_weekday]} {schedule.digest_time:%H:%M} {schedule.spec.timezone}"
    )


def _digest_setting(service: SettingsTarget, schedule: Schedule, name: str, value: str) -> Schedule:
    """digest on|off, digest-day mon..sun, digest-time HH:MM (the schedule's time zone).

    Any change counts from now, so a digest whose moment has just passed waits a week."""
    now = service.now()
    if name == "digest":
        return replace(schedule, digest=_on_off(name, value), last_digest_at=now)
    if name == "digest-day":
        day = value.lower()[:3]
        if day not in WEEKDAYS:
            raise CommandError(f"digest-day: '{value}' must be one of {', '.join(WEEKDAYS)}")
        return replace(schedule, digest_weekday=WEEKDAYS.index(day), last_digest_at=now)
    try:
        text = value.zfill(5) if ":" in value else value
        at = time.fromisoformat(text) if len(text) in (4, 5) else None
    except ValueError:
        at = None
    if at is None:
        raise CommandError(f"digest-time: '{value}' must be a time like 17:00")
    return replace(schedule, digest_time=at, last_digest_at=now)


def _on_off(name: str, value: str) -> bool:
    if value.lower() not in ON_OFF:
        raise CommandError(f"{name}: '{value}' must be on or off")
    return ON_OFF[value.lower()]


async def apply_setting(
    service: SettingsTarget, schedule: Schedule, community: Community, args: list[str]
) -> str:
    """Apply `settings <name> <value...>` and say what changed."""
    name, values = args[0].lower(), args[1:]
    if not values:
        raise CommandError(f"settings {name}: give a value")
    value = values[0]
    if name == "thread":
        changed = replace(schedule, thread=_on_off(name, value))
    elif name == "pin":
        changed = replace(schedule, pin=_on_off(name, value))
    elif name == "catch-up":
        allowed = [c.value for c in CatchUp]
        if value.lower() not in allowed:
            raise CommandError(f"catch-up: '{value}' must be one of {', '.join(allowed)}")
        changed = replace(schedule, catch_up=CatchUp(value.lower()))
    elif name == "repeat-window":
        if not (value.isascii() and value.isdigit()) or not 0 <= int(value) <= 3650:
            raise CommandError(f"repeat-window: '{value}' must be a number of days 0..3650")
        changed = replace(schedule, repeat_window_days=int(value))
    elif name == "categories":
        wanted = (
            () if value.lower() == "all" else tuple(v.strip().lower() for v in value.split(","))
        )
        unknown = [c for c in wanted if c not in CATEGORIES]
        if unknown:
            raise CommandError(
                f"categories: unknown {', '.join(unknown)}; use all or any of "
                + ", ".join(sorted(CATEGORIES))
            )
        changed = replace(schedule, categories=wanted)
    elif name in ("managers", "manager-roles"):
        return await edit_managers(service, community, name, values)
    elif name == "ping-role":
        off = value.lower() in ("off", "none")
        role = None if off else ping_role(community.platform, community.external_id, value)
        value = role or "off"
        changed = replace(schedule, ping_role=role)
    elif name == "holdout":
        try:
            share = parse_share(value)
        except ValueError as error:
            raise CommandError(str(error)) from None
        await service.update_community(replace(community, holdout=share))
        if share is None:
            return "holdout set to the default (TIGERBIRD_HOLDOUT)."
        return f"holdout set to {share:.0%} of this community's slots."
    elif name in ("digest", "digest-day", "digest-time"):
        changed = _digest_setting(service, schedule, name, value)
    elif name == "holidays":
        changed = _holidays_setting(schedule, values)
        value = _holidays(changed)
    elif name in RITUALS:
        changed = with_ritual(schedule, name, _on_off(name, value))
    else:
        raise CommandError(f"settings: unknown '{name}'; use one of {NAMES}")
    await service.update_schedule(changed)
    return f"{name} set to {value}."


async def edit_managers(
    service: SettingsTarget, community: Community, name: str, values: list[str]
) -> str:
    """`managers|manager-roles add|remove <id>` on the community's lists."""
    if len(values) < 2 or values[0] not in ("add", "remove"):
        raise CommandError(f"{name}: use `settings {name} add|remove <id>`")
    if name == "managers":
        member = member_id(community.platform, values[1])
    else:
        member = values[1].strip("<@&!>")
    current = set(community.manager_ids if name == "managers" else community.manager_role_ids)
    current = current | {member} if values[0] == "add" else current - {member}
    ids = tuple(sorted(current))
    if name == "managers":
        await service.update_community(replace(community, manager_ids=ids))
    else:
        await service.update_community(replace(community, manager_role_ids=ids))
    return f"{name}: {len(current)} now."
