"""Bolt listeners: Slack payloads in, core calls, answers rendered back to Slack.

No business rule lives here; managers are checked by the core from what Slack says.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import InterfaceError, OperationalError

from adapters.slack import blocks, translate
from adapters.slack.follow_up import follow_up, mark_decided
from adapters.slack.members import MemberDirectory
from adapters.slack.payloads import Malformed, action_of, dict_of, field, prompt_id_of, reject_form
from adapters.slack.platform import SlackPlatform
from adapters.slack.replay import RequestLog, request_key
from bot.core.domain import EngagementEvent, PlatformName
from bot.core.invocations import Invocation
from bot.core.ports import CommandRunner, CoreEntry, PlatformError
from bot.storage.sqlite_file import DatabaseUnavailable

log = logging.getLogger(__name__)
Payload = dict[str, Any]
COMMAND = "/tigerbird"
DATABASE_DOWN = (
    "Sorry, Tigerbird could not reach its database, so nothing was done. "
    "Please try again in a minute."
)
FAILED = (
    "Sorry, Tigerbird hit an error doing that, so it may not have been done. "
    "Please try again; the details are in its log."
)
UNREACHABLE = (OperationalError, InterfaceError, OSError, TimeoutError, DatabaseUnavailable)


class Listeners:
    """Everything Tigerbird answers on Slack, registered on a bolt AsyncApp."""

    def __init__(
        self,
        core: CoreEntry,
        commands: CommandRunner,
        platform: SlackPlatform,
        requests: RequestLog,
        members: MemberDirectory,
    ) -> None:
        self.core = core
        self.members = members
        self.commands = commands
        self.platform = platform
        self.requests = requests

    def register(self, app: AsyncApp, *, multi_workspace: bool) -> None:
        """The app runs with `process_before_response`: an event is acknowledged only once
        the core has stored it, so a crash before that leaves Slack to send it again.
        Commands and buttons are acknowledged at once and answered by a lazy listener,
        within Slack's 3 seconds whatever the answer costs."""
        app.event("reaction_added")(self.on_reaction)
        app.event("reaction_removed")(self.on_reaction)
        app.event("message")(self.on_message)
        app.command(COMMAND)(ack=_ack, lazy=[self.on_command])
        app.action(blocks.APPROVE_ACTION)(ack=_ack, lazy=[self.on_approve])
        app.action(blocks.REJECT_ACTION)(ack=_ack, lazy=[self.on_reject_click])
        app.view(blocks.REJECT_VIEW)(ack=_ack, lazy=[self.on_reject_submit])
        app.error(_unreadable)
        if multi_workspace:
            app.enable_token_revocation_listeners()  # forgets the workspace's tokens
        else:
            app.event("app_uninstalled")(self.on_uninstalled)
            app.event("tokens_revoked")(self.on_uninstalled)

    async def on_uninstalled(self, body: Payload) -> None:
        log.warning("Tigerbird was uninstalled or its token revoked in %s", translate.team_of(body))

    # --- engagement -------------------------------------------------------------------

    async def on_reaction(
        self, event: Payload, body: Payload, context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        team = context.team_id or translate.team_of(body)
        found = translate.reaction(event, team, context.bot_user_id)
        if found is not None:
            await self._record(team, [found])

    async def on_message(self, event: Payload, body: Payload, context: AsyncBoltContext) -> None:
        team = context.team_id or translate.team_of(body)
        await self._record(team, translate.message(event, team, context.bot_user_id))

    async def _record(self, team: str, events: list[EngagementEvent]) -> None:
        """Record a member's events with no platform call before the acknowledgement: a
        reaction says nothing of bots, so who reacted is looked up afterwards and a bot's
        events are removed again (adapters.slack.members)."""
        for found in events:
            if self.members.known_bot(team, found.member_id):
                continue
            await self.core.handle_event(found)
            self.members.recorded(team, found.member_id)

    # --- commands ---------------------------------------------------------------------

    async def _once(
        self,
        request: AsyncBoltRequest,
        what: str,
        work: Callable[[], Awaitable[None]],
        answer: Callable[[str], Awaitable[object]] | None,
    ) -> None:
        """Run a command or interaction once per signed request (a replay does nothing), and
        tell the member when it fails instead of leaving them without an answer."""
        try:
            if not await self.requests.first_time(request_key(request)):
                log.warning("Ignored a replayed Slack %s", what)
                return
            await work()
            return
        except Malformed as exc:
            log.warning("Refused a malformed Slack %s: %s", what, exc)
            return
        except UNREACHABLE as exc:
            log.error("Slack %s failed, database unreachable: %s", what, type(exc).__name__)
            text = DATABASE_DOWN
        except Exception:
            log.exception("Slack %s failed", what)
            text = FAILED
        if answer is not None:
            try:
                await answer(text)
            except Exception as exc:  # the failure itself is logged above
                log.warning("Could not tell the member that a Slack %s failed: %r", what, exc)

    async def on_command(
        self,
        command: Payload,
        request: AsyncBoltRequest,
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        async def answer(text: str) -> None:
            await respond(text=text, response_type="ephemeral")

        work = lambda: self._command(command, respond, client)  # noqa: E731
        await self._once(request, "command", work, answer)

    async def _command(
        self, command: Payload, respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        ids = [command.get(key) for key in ("team_id", "channel_id", "user_id")]
        if not all(isinstance(value, str) and value for value in ids):
            await respond(text="Tigerbird could not tell who sent this command, or where.")
            return
        team, channel, user = (str(value) for value in ids)
        inv = await self._invocation(
            client, team, channel, user, community_name=str(command.get("team_domain") or "")
        )
        reply = await self.commands.run(inv, str(command.get("text") or ""))
        kind = "ephemeral" if reply.private else "in_channel"
        await respond(text=blocks.escape(reply.text), response_type=kind)
        await follow_up(self.platform, inv, reply, client)

    async def on_approve(
        self,
        body: Payload,
        request: AsyncBoltRequest,
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        async def work() -> None:
            prompt_id = prompt_id_of(action_of(body).get("value"))
            user = field(body, "user", "id")
            inv = await self._invocation(client, _team(body), _channel(body), user)
            reply = await self.commands.approve(inv, prompt_id)
            text = blocks.escape(reply.text)
            if reply.refused:  # the review message stays as it is for the managers who may decide
                await respond(text=text, response_type="ephemeral", replace_original=False)
                return
            decided = blocks.decided_blocks(reply.text)
            await respond(text=text, blocks=decided, replace_original=True)
            await follow_up(self.platform, inv, reply, client)

        await self._once(request, "approve click", work, _answer(respond, body))

    async def on_reject_click(
        self, body: Payload, request: AsyncBoltRequest, client: AsyncWebClient
    ) -> None:
        async def work() -> None:
            prompt_id = prompt_id_of(action_of(body).get("value"))
            trigger = field(body, "trigger_id")
            message_ts = str(dict_of(body.get("container")).get("message_ts") or "")
            modal = blocks.reject_modal(prompt_id, _channel(body), message_ts)
            await client.views_open(trigger_id=trigger, view=modal)

        await self._once(request, "reject click", work, None)

    async def on_reject_submit(
        self, body: Payload, request: AsyncBoltRequest, client: AsyncWebClient
    ) -> None:
        async def work() -> None:
            meta, reason = reject_form(dict_of(body.get("view")))
            user = field(body, "user", "id")
            inv = await self._invocation(client, _team(body), meta["channel"], user)
            reply = await self.commands.reject(inv, int(meta["prompt_id"]), reason)
            if reply.refused:  # a modal has no response URL: the refusal goes by DM
                try:
                    await self.platform.direct_message(inv.community, inv.member_id, reply.text)
                except PlatformError as exc:
                    log.warning(
                        "Could not tell %s why a rejection was refused: %s", inv.member_id, exc.code
                    )
                return
            if meta.get("ts"):
                await mark_decided(client, meta["channel"], meta["ts"], reply.text)
            await follow_up(self.platform, inv, reply, client)

        async def answer(text: str) -> None:  # a modal has no response URL: a DM instead
            await self.platform.direct_message(_team(body), field(body, "user", "id"), text)

        await self._once(request, "reject form", work, answer)

    async def _invocation(
        self, client: AsyncWebClient, team: str, channel: str, user: str, community_name: str = ""
    ) -> Invocation:
        """Who asked; admin status comes from Slack itself (users.info), never the payload,
        and installer status from the stored OAuth installation."""
        profile = await self._user(client, user)
        is_admin = any(profile.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))
        return Invocation(
            PlatformName.SLACK,
            team,
            channel,
            user,
            bool(is_admin),
            community_name=community_name,
            member_is_installer=await self._installer(team) == user,
        )

    async def _installer(self, team: str) -> str | None:
        """Who installed Tigerbird in the workspace (OAuth mode): the review DMs go to them,
        so the core counts them as a manager too."""
        try:
            return await self.platform.tokens.installer(team)
        except PlatformError as exc:
            log.warning("could not read the installation of %s: %s", team, exc.code)
            return None

    async def _user(self, client: AsyncWebClient, user: str) -> Payload:
        try:
            response = await client.users_info(user=user)
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", user, exc.response.get("error"))
            return {}
        profile: Payload = response.get("user") or {}
        return profile


def _answer(respond: AsyncRespond, body: Payload) -> Callable[[str], Awaitable[object]] | None:
    """Answer on the interaction's response URL, when it has one."""
    if not isinstance(body.get("response_url"), str):
        return None

    async def answer(text: str) -> None:
        await respond(text=text, replace_original=False)

    return answer


def _team(body: Payload) -> str:
    team = dict_of(body.get("team")).get("id") or dict_of(body.get("user")).get("team_id")
    return team if isinstance(team, str) else ""


def _channel(body: Payload) -> str:
    channel = dict_of(body.get("channel")).get("id")
    return channel if isinstance(channel, str) else ""


async def _ack(ack: AsyncAck) -> None:
    await ack()


async def _unreadable(error: Exception) -> BoltResponse:
    """bolt's error handler. bolt reads a payload's fields while routing it, assuming Slack's
    types: a signed payload with odd types is the sender's error, refused with a warning."""
    if isinstance(error, TypeError | LookupError | AttributeError | ValueError):
        log.warning("Refused a Slack payload bolt could not read: %s", type(error).__name__)
        return BoltResponse(status=400, body="malformed request")
    log.error("Slack request failed", exc_info=error)
    return BoltResponse(status=500, body="")
