"""Settings of one community: per channel (thread, pin, ping role, catch-up, repeat window,
categories, weekly digest, member rituals) and for the community (managers, manager roles,
review channel).
Every change goes through the same rules as `/tigerbird settings` (bot.chat.settings_command),
so a bad value gets the same specific error and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.manage import management_of
from adapters.web.render import render
from adapters.web.state import dashboard_of
from bot.chat.mentions import member_id
from bot.chat.review import set_review_channel
from bot.chat.settings_command import WEEKDAYS, apply_setting, edit_managers
from bot.core.authz import Caller
from bot.core.domain import CatchUp, Community, PlatformName, Schedule
from bot.core.invocations import CommandError
from bot.library import CATEGORIES

routes = web.RouteTableDef()
NAV = ("/settings", "Settings")
SWITCHES = ("thread", "pin", "digest", "streaks", "regulars", "best-answer")


def _fields(schedule: Schedule) -> dict[str, str]:
    """The per-channel settings as the form shows them (and as apply_setting takes them)."""
    return {
        "thread": "on" if schedule.thread else "off",
        "pin": "on" if schedule.pin else "off",
        "catch-up": schedule.catch_up.value,
        "repeat-window": str(schedule.repeat_window_days),
        "categories": ",".join(schedule.categories) or "all",
        "ping-role": schedule.ping_role or "off",
        "digest": "on" if schedule.digest else "off",
        "digest-day": WEEKDAYS[schedule.digest_weekday],
        "digest-time": f"{schedule.digest_time:%H:%M}",
        "streaks": "on" if schedule.streaks else "off",
        "regulars": "on" if schedule.regulars else "off",
        "best-answer": "on" if schedule.best_answer else "off",
    }


async def _chosen(request: web.Request, caller: Caller, raw: str | None) -> Schedule | None:
    dashboard = dashboard_of(request)
    if raw:
        try:
            return await dashboard.access.schedule(caller, int(raw))
        except (CommandError, ValueError):
            raise web.HTTPNotFound(text="No such schedule.") from None
    schedules = await dashboard.service.list_schedules(caller.community.id)
    return min(schedules, key=lambda s: s.id) if schedules else None


async def _page(
    request: web.Request,
    caller: Caller,
    schedule: Schedule | None,
    *,
    error: str | None = None,
    saved: list[str] | None = None,
    status: int = 200,
) -> web.Response:
    schedules = await dashboard_of(request).service.list_schedules(caller.community.id)
    return await render(
        request,
        "settings.html",
        caller=caller,
        schedules=sorted(schedules, key=lambda s: s.id),
        schedule=schedule,
        fields=_fields(schedule) if schedule else {},
        catch_up=[c.value for c in CatchUp],
        weekdays=WEEKDAYS,
        categories=sorted(CATEGORIES),
        error=error,
        saved=saved or [],
        status=status,
    )


@routes.get("/c/{community_id}/settings")
async def settings_page(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    schedule = await _chosen(request, caller, request.query.get("schedule"))
    saved = [s for s in request.query.get("saved", "").split(",") if s]
    return await _page(request, caller, schedule, saved=saved)


@routes.post("/c/{community_id}/settings")
async def change_settings(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    form = await request.post()
    values = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    schedule = await _chosen(request, caller, values.get("schedule"))
    try:
        changed = await _apply(request, caller, schedule, values)
    except CommandError as error:
        return await _page(request, caller, schedule, error=str(error), status=400)
    if changed:
        where = (
            f"channel {schedule.channel}"
            if values.get("part") == "channel" and schedule
            else "community"
        )
        detail = f"{where}: " + ", ".join(f"{name} = {values.get(name, 'off')}" for name in changed)
        await management_of(request).audit.record(caller, "settings.change", detail)
    where = f"/c/{caller.community.id}/settings?saved={','.join(changed)}"
    raise web.HTTPSeeOther(where + (f"&schedule={schedule.id}" if schedule else ""))


async def _apply(
    request: web.Request, caller: Caller, schedule: Schedule | None, values: dict[str, str]
) -> list[str]:
    """Apply what differs from the stored settings, one rule at a time; the names changed."""
    dashboard = dashboard_of(request)
    service, access = dashboard.service, dashboard.access
    changed: list[str] = []
    if schedule is not None and values.get("part") == "channel":
        draft = Draft(service.now, await access.schedule(caller, schedule.id), caller.community)
        for name, current in _fields(schedule).items():
            wanted = values.get(name, "off" if name in SWITCHES else current) or current
            if wanted != current:
                await apply_setting(draft, draft.schedule, draft.community, [name, wanted])
                changed.append(name)
        if changed:  # the whole form checked out: stored at once
            await service.update_schedule(draft.schedule)
    if values.get("part") == "community":
        community = caller.community
        draft = Draft(service.now, schedule, community)
        for name, listed in (
            ("managers", community.manager_ids),
            ("manager-roles", community.manager_role_ids),
        ):
            given = values.get(name, "").replace(",", " ").split()
            kept = {_one_id(community.platform, name, v) for v in given}
            for verb, ids in (("add", kept - set(listed)), ("remove", set(listed) - kept)):
                for member in sorted(ids):
                    await edit_managers(draft, draft.community, name, [verb, member])
                    changed.append(name)
        review = values.get("review-channel", "") or "off"
        if review != (community.review_channel or "off"):
            await set_review_channel(draft, draft.community, [review], None)
            changed.append("review-channel")
        if changed:  # the whole form checked out: stored at once
            await service.update_community(draft.community)
    return list(dict.fromkeys(changed))


class Draft:
    """A form's changes applied by the chat's own rules to copies, stored only once every
    field has checked out (bot.chat.settings_command.SettingsTarget)."""

    def __init__(
        self, now: Callable[[], datetime], schedule: Schedule | None, community: Community
    ) -> None:
        self._now = now
        self._schedule = schedule
        self.community = community

    def now(self) -> datetime:
        return self._now()

    @property
    def schedule(self) -> Schedule:
        if self._schedule is None:
            raise LookupError("this form changes no schedule")
        return self._schedule

    async def update_schedule(self, schedule: Schedule) -> Schedule:
        self._schedule = schedule
        return schedule

    async def update_community(self, community: Community) -> None:
        self.community = community


def _one_id(platform: PlatformName, name: str, text: str) -> str:
    """A member id (mention or bare, as chat takes it) or a role id, as the lists store it."""
    return member_id(platform, text) if name == "managers" else text.strip("<@&!>")
