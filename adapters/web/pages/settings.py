"""Settings of one community: per channel (thread, pin, ping role, catch-up, repeat window,
categories, weekly digest) and for the community (managers, manager roles, review channel).
Every change goes through the same rules as `/tigerbird settings` (bot.chat.settings_command),
so a bad value gets the same specific error and changes nothing."""

from __future__ import annotations

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.manage import management_of
from adapters.web.render import render
from adapters.web.state import dashboard_of
from bot.chat.review import set_review_channel
from bot.chat.settings_command import WEEKDAYS, apply_setting, edit_managers
from bot.core.authz import Caller
from bot.core.domain import CatchUp, Schedule
from bot.core.invocations import CommandError
from bot.library import CATEGORIES

routes = web.RouteTableDef()
NAV = ("/settings", "Settings")
SWITCHES = ("thread", "pin", "digest")


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
        for name, current in _fields(schedule).items():
            wanted = values.get(name, "off" if name in SWITCHES else current) or current
            if wanted != current:
                schedule = await access.schedule(caller, schedule.id)
                await apply_setting(service, schedule, caller.community, [name, wanted])
                changed.append(name)
    if values.get("part") == "community":
        community = caller.community
        for name, listed in (
            ("managers", community.manager_ids),
            ("manager-roles", community.manager_role_ids),
        ):
            kept = {v for v in values.get(name, "").replace(",", " ").split() if v}
            for verb, ids in (("add", kept - set(listed)), ("remove", set(listed) - kept)):
                for member in sorted(ids):
                    latest = await service.community(community.platform, community.external_id)
                    assert latest is not None
                    await edit_managers(service, latest, name, [verb, member])
                    changed.append(name)
        review = values.get("review-channel", "") or "off"
        if review != (community.review_channel or "off"):
            latest = await service.community(community.platform, community.external_id)
            assert latest is not None
            await set_review_channel(service, latest, [review], None)
            changed.append("review-channel")
    return list(dict.fromkeys(changed))
