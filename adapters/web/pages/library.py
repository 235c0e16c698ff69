"""The library of one community: browse and search by text, category and status, each prompt
with its record here (times posted, engagement rate with its 90 % credible interval);
add, edit, retire and restore the community's own prompts; import a pack, CSV or text file
(the linter's file:line errors shown in the page, nothing imported on error); export YAML/CSV.
Everything goes through bot.service_layer (manage_library, library_transfer)."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.manage import form_of, management_of, number_in_path, page_number
from adapters.web.render import render
from bot.analytics.beta import credible_interval
from bot.analytics.wordings import WordingReport, wording_report
from bot.core.authz import Caller
from bot.core.domain import Prompt
from bot.core.invocations import CommandError
from bot.library import CATEGORIES
from bot.service_layer.library_transfer import ImportOutcome
from bot.service_layer.manage_library import STATUSES, LibraryRow

routes = web.RouteTableDef()
NAV = ("/library", "Library")


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def record_text(row: LibraryRow) -> dict[str, str]:
    """The record as the table shows it: posts, rate, and its 90 % credible interval."""
    r = row.record
    if not r.audience:
        return {"posted": str(r.times_posted), "rate": "–", "interval": "–"}
    low, high = credible_interval(r.responders, r.audience)
    return {
        "posted": str(r.times_posted),
        "rate": _percent(r.responders / r.audience),
        "interval": f"{_percent(low)} – {_percent(high)}",
    }


def wording_rows(report: WordingReport) -> list[dict[str, str | bool]]:
    """Each wording as the prompt page shows it, with the verdict on the first row."""
    rows: list[dict[str, str | bool]] = []
    for w in report.wordings:
        interval = w.interval
        rows.append(
            {
                "label": w.label,
                "text": w.text,
                "posted": str(w.times_posted),
                "rate": "–" if w.rate is None else _percent(w.rate),
                "interval": "–"
                if interval is None
                else f"{_percent(interval[0])} – {_percent(interval[1])}",
                "best": f"{100 * w.chance_best:.0f}%",
                "pinned": w.pinned,
                "winner": report.winner is w,
                "verdict": report.verdict(),
            }
        )
    return rows


def _base(caller: Caller) -> str:
    return f"/c/{caller.community.id}/library"


async def _page(
    request: web.Request,
    caller: Caller,
    *,
    error: str | None = None,
    added: dict[str, str] | None = None,
    outcome: ImportOutcome | None = None,
    status: int = 200,
) -> web.Response:
    q = request.query
    text, category, state = q.get("q", ""), q.get("category", ""), q.get("status", "active")
    try:
        found = await management_of(request).library.browse(
            caller, text, category, state, page_number(request)
        )
    except CommandError as bad:
        raise web.HTTPBadRequest(text=str(bad)) from None
    query = urlencode({"q": text, "category": category, "status": state})
    return await render(
        request,
        "library.html",
        caller=caller,
        listing=found,
        rows=[(row, record_text(row)) for row in found.rows],
        search={"q": text, "category": category, "status": state},
        query="&" + query,
        statuses=list(STATUSES),
        categories=sorted(CATEGORIES),
        error=error,
        added=added or {},
        outcome=outcome,
        notice=q.get("notice"),
        status=status,
    )


@routes.get("/c/{community_id}/library")
async def library_page(request: web.Request) -> web.Response:
    return await _page(request, await community_from_path(request))


@routes.post("/c/{community_id}/library")
async def add_prompt(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    values = await form_of(request)
    try:
        prompt, warnings = await management_of(request).library.add(
            caller, values.get("text", ""), values.get("category", "")
        )
    except CommandError as error:
        return await _page(request, caller, error=str(error), added=values, status=400)
    notice = "added-warned" if warnings else "added"
    raise web.HTTPSeeOther(f"{_base(caller)}/{prompt.id}?notice={notice}")


@routes.post("/c/{community_id}/library/import")
async def import_prompts(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        return await _page(request, caller, error="file: choose a file to import", status=400)
    category = form.get("category")
    try:
        outcome = await management_of(request).transfer.import_file(
            caller,
            upload.filename,
            upload.file.read(),
            category if isinstance(category, str) and category else None,
            update=form.get("update") == "on",
        )
    except CommandError as error:
        return await _page(request, caller, error=str(error), status=400)
    return await _page(request, caller, outcome=outcome, status=400 if outcome.errors else 200)


@routes.get("/c/{community_id}/library/export.{format}")
async def export_library(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    fmt = request.match_info["format"]
    try:
        body = await management_of(request).transfer.export(caller, fmt)
    except CommandError:
        raise web.HTTPNotFound(text="No such export format.") from None
    kind = "text/csv" if fmt == "csv" else "application/yaml"
    return web.Response(
        text=body,
        content_type=kind,
        headers={"Content-Disposition": f'attachment; filename="tigerbird-library.{fmt}"'},
    )


async def _prompt(request: web.Request, caller: Caller) -> Prompt:
    manage = management_of(request)
    manage.access.require_manager(caller)
    try:
        return await manage.access.prompt(caller, number_in_path(request, "id"))
    except CommandError:
        raise web.HTTPNotFound(text="No such prompt.") from None


async def _detail(
    request: web.Request,
    caller: Caller,
    prompt: Prompt,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    wordings = None
    if prompt.variants:
        data = await management_of(request).wordings.data(caller, prompt.id)
        wordings = wording_rows(wording_report(data))
    return await render(
        request,
        "prompt.html",
        caller=caller,
        prompt=prompt,
        wordings=wordings,
        form=form or {"text": prompt.text, "category": prompt.category},
        categories=sorted(CATEGORIES),
        error=error,
        notice=request.query.get("notice"),
        status=status,
    )


@routes.get("/c/{community_id}/library/{id}")
async def prompt_page(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    return await _detail(request, caller, await _prompt(request, caller))


@routes.post("/c/{community_id}/library/{id}")
async def edit_prompt(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    prompt = await _prompt(request, caller)
    values = await form_of(request)
    try:
        await management_of(request).library.edit(
            caller, prompt.id, values.get("text", ""), values.get("category", "")
        )
    except CommandError as error:
        return await _detail(request, caller, prompt, str(error), values, status=400)
    raise web.HTTPSeeOther(f"{_base(caller)}/{prompt.id}?notice=saved")


@routes.post("/c/{community_id}/library/{id}/wordings/{label}")
async def promote_wording(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    prompt = await _prompt(request, caller)
    try:
        await management_of(request).wordings.promote(
            caller, prompt.id, request.match_info["label"]
        )
    except CommandError as error:
        return await _detail(request, caller, prompt, str(error), status=400)
    raise web.HTTPSeeOther(f"{_base(caller)}/{prompt.id}?notice=promoted")


@routes.post("/c/{community_id}/library/{id}/{action}")
async def retire_prompt(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    prompt = await _prompt(request, caller)
    action = request.match_info["action"]
    if action not in ("retire", "restore"):
        raise web.HTTPNotFound(text="No such action.")
    try:
        await management_of(request).library.set_retired(caller, prompt.id, action == "retire")
    except CommandError as error:
        return await _detail(request, caller, prompt, str(error), status=400)
    raise web.HTTPSeeOther(f"{_base(caller)}/{prompt.id}?notice={action}")
