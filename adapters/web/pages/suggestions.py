"""The suggestion review queue of one community: each waiting suggestion with the
near-duplicate warning and the linter's warnings, edit its text before deciding, approve, or
reject with a reason that is sent to the member (bot.service_layer.manage_suggestions: the same
decision path as the chat buttons, audited)."""

from __future__ import annotations

from aiohttp import web

from adapters.web.guard import community_from_path
from adapters.web.manage import form_of, management_of, number_in_path
from adapters.web.render import render
from bot.core.authz import Caller
from bot.core.invocations import CommandError

routes = web.RouteTableDef()
NAV = ("/suggestions", "Suggestions")


async def _page(
    request: web.Request, caller: Caller, error: str | None = None, status: int = 200
) -> web.Response:
    queue = await management_of(request).suggestions.queue(caller)
    return await render(
        request,
        "suggestions.html",
        caller=caller,
        queue=queue,
        error=error,
        notice=request.query.get("notice"),
        status=status,
    )


@routes.get("/c/{community_id}/suggestions")
async def suggestions_page(request: web.Request) -> web.Response:
    return await _page(request, await community_from_path(request))


@routes.post("/c/{community_id}/suggestions/{id}/{decision}")
async def decide(request: web.Request) -> web.Response:
    caller = await community_from_path(request)
    prompt_id = number_in_path(request, "id")
    decision = request.match_info["decision"]
    review = management_of(request).suggestions
    form = await form_of(request)
    reason = form.get("reason", "")
    try:
        if decision == "edit":
            category = form.get("category", "").strip().lower() or None
            await review.edit(caller, prompt_id, form.get("text", ""), category)
            raise web.HTTPSeeOther(f"/c/{caller.community.id}/suggestions?notice=edited")
        if decision == "approve":
            outcome = await review.approve(caller, prompt_id)
        elif decision == "reject":
            outcome = await review.reject(caller, prompt_id, reason)
        else:
            raise web.HTTPNotFound(text="No such decision.")
    except CommandError as error:
        if str(error).startswith(("no prompt with id", "no suggestion #")):
            raise web.HTTPNotFound(text="No such suggestion.") from None
        return await _page(request, caller, str(error), status=400)
    told = "told" if outcome.member_told else "untold"
    raise web.HTTPSeeOther(f"/c/{caller.community.id}/suggestions?notice={decision}-{told}")
