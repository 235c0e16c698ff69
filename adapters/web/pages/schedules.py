"""Schedules of one community: the paginated list, add (times, timezone, weekdays / every N
days / cron, catch-up, repeat window, quiet dates, holiday calendars), and per schedule edit,
pause, resume, skip the next slot, remove, with a DST-correct preview of the next slots, the
prompt each would get and the holiday it falls on, and the best time to post. Everything goes
through bot.service_layer.manage_schedules (scoped, audited)."""

from __future__ import annotations

from dataclasses import asdict

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.manage import form_of, management_of, number_in_path, page_number
from adapters.web.render import render
from bot.analytics.best_time_text import best_time_text
from bot.core.authz import Caller
from bot.core.domain import CatchUp, Schedule
from bot.core.invocations import CommandError
from bot.scheduling.parse import ScheduleError
from bot.scheduling.slot_times import local_time
from bot.service_layer.schedule_form import ScheduleForm, rhythm_text
from bot.service_layer.schedule_form import form_of as filled_form

routes = web.RouteTableDef()
NAV = ("/schedules", "Schedules")
PREVIEW = 7
FORM_FIELDS = tuple(asdict(ScheduleForm()))


def _form(values: dict[str, str]) -> ScheduleForm:
    return ScheduleForm(**{k: values[k] for k in FORM_FIELDS if k in values})


def _row(schedule: Schedule) -> dict[str, object]:
    nxt = None if schedule.paused else schedule.next_slot_at
    return {
        "schedule": schedule,
        "rhythm": rhythm_text(schedule.spec),
        "next_local": local_time(schedule.spec, nxt) if nxt else None,
        "next_utc": nxt,
    }


def _base(caller: Caller) -> str:
    return f"/c/{caller.community.id}/schedules"


async def _list(
    request: web.Request,
    caller: Caller,
    form: ScheduleForm,
    channel: str = "",
    error: ScheduleError | CommandError | None = None,
    status: int = 200,
) -> web.Response:
    found = await management_of(request).schedules.page(caller, page_number(request))
    return await render(
        request,
        "schedules.html",
        caller=caller,
        rows=[_row(s) for s in found.schedules],
        listing=found,
        form=form,
        channel=channel,
        catch_up=[c.value for c in CatchUp],
        error=str(error) if error else None,
        error_field=getattr(error, "field", None),
        notice=request.query.get("notice"),
        status=status,
    )


@routes.get("/c/{community_id}/schedules")
async def schedules_page(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    return await _list(request, caller, ScheduleForm())


@routes.post("/c/{community_id}/schedules")
async def add_schedule(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    values = await form_of(request)
    form, channel = _form(values), values.get("channel", "")
    try:
        added = await management_of(request).schedules.add(
            caller, channel, form, force=values.get("force") == "on"
        )
    except (ScheduleError, CommandError) as error:
        return await _list(request, caller, form, channel, error, status=400)
    where = f"{_base(caller)}/{added.schedule.id}"
    raise web.HTTPSeeOther(where + ("?notice=paused" if added.missing else "?notice=added"))


async def _detail(
    request: web.Request,
    caller: Caller,
    schedule: Schedule,
    form: ScheduleForm | None = None,
    error: ScheduleError | CommandError | None = None,
    status: int = 200,
) -> web.Response:
    manage = management_of(request).schedules
    previews = await manage.preview(caller, schedule.id, PREVIEW)
    best = await manage.best_time(caller, schedule.id)
    return await render(
        request,
        "schedule.html",
        caller=caller,
        row=_row(schedule),
        form=form or filled_form(schedule.spec, schedule.catch_up, schedule.repeat_window_days),
        previews=previews,
        best_time=best_time_text(best, schedule.spec.timezone),
        catch_up=[c.value for c in CatchUp],
        error=str(error) if error else None,
        error_field=getattr(error, "field", None),
        notice=request.query.get("notice"),
        status=status,
    )


async def _schedule(request: web.Request, caller: Caller) -> Schedule:
    try:
        return await management_of(request).schedules.get(caller, number_in_path(request, "id"))
    except CommandError:
        raise web.HTTPNotFound(text="No such schedule.") from None


@routes.get("/c/{community_id}/schedules/{id}")
async def schedule_page(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    return await _detail(request, caller, await _schedule(request, caller))


@routes.post("/c/{community_id}/schedules/{id}")
async def edit_schedule(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    schedule = await _schedule(request, caller)
    form = _form(await form_of(request))
    try:
        await management_of(request).schedules.edit(caller, schedule.id, form)
    except (ScheduleError, CommandError) as error:
        return await _detail(request, caller, schedule, form, error, status=400)
    raise web.HTTPSeeOther(f"{_base(caller)}/{schedule.id}?notice=saved")


@routes.post("/c/{community_id}/schedules/{id}/{action}")
async def act_on_schedule(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    schedule = await _schedule(request, caller)
    manage = management_of(request).schedules
    action = request.match_info["action"]
    acts = {"pause": manage.pause, "resume": manage.resume, "skip": manage.skip_next}
    if action == "remove":
        await manage.remove(caller, schedule.id)
        raise web.HTTPSeeOther(f"{_base(caller)}?notice=removed")
    if action not in acts:
        raise web.HTTPNotFound(text="No such action.")
    await acts[action](caller, schedule.id)
    back = (await form_of(request)).get("back") == "list"
    where = _base(caller) if back else f"{_base(caller)}/{schedule.id}"
    raise web.HTTPSeeOther(f"{where}?notice={action}")
