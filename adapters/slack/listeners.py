"""Bolt listeners: Slack payloads in, core calls, answers rendered back to Slack.

No business rule lives here; managers are checked by the core from what Slack says.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Protocol

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks, translate
from adapters.slack.platform import SlackPlatform
from bot.chat_types import Invocation, Reply
from bot.domain import Community, EngagementEvent, PlatformName
from bot.ports import PlatformError

log = logging.getLogger(__name__)
Payload = dict[str, Any]
COMMAND = "/tigerbird"


class CoreService(Protocol):
    """What the adapter uses of bot.services.Tigerbird."""

    async def handle_event(self, event: EngagementEvent) -> None: ...

    async def community(self, platform: PlatformName, external_id: str) -> Community | None: ...


class ChatCommandRunner(Protocol):
    """The core's chat commands (bot.commands.ChatCommands)."""

    async def run(self, inv: Invocation, text: str) -> Reply: ...

    async def approve(self, inv: Invocation, prompt_id: int) -> Reply: ...

    async def reject(self, inv: Invocation, prompt_id: int, reason: str) -> Reply: ...


class Listeners:
    """Everything Tigerbird answers on Slack, registered on a bolt AsyncApp."""

    def __init__(
        self, core: CoreService, commands: ChatCommandRunner, platform: SlackPlatform
    ) -> None:
        self.core = core
        self.commands = commands
        self.platform = platform

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
        if found is not None and not await self._bot(team, found.member_id):
            await self.core.handle_event(found)

    async def on_message(self, event: Payload, body: Payload, context: AsyncBoltContext) -> None:
        team = context.team_id or translate.team_of(body)
        for found in translate.message(event, team, context.bot_user_id):
            await self.core.handle_event(found)

    async def _bot(self, team: str, user: str) -> bool:
        """Whether a member is a bot (reactions carry no bot flag); one cache, the platform's."""
        try:
            return await self.platform.is_bot(team, user)
        except PlatformError as exc:
            log.warning("users.info failed for %s: %s", user, exc.code)
            return False

    # --- commands ---------------------------------------------------------------------

    async def on_command(
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
        await self._follow_up(inv, reply, client)

    async def on_approve(
        self, body: Payload, action: Payload, respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        inv = await self._invocation(client, _team(body), _channel(body), body["user"]["id"])
        reply = await self.commands.approve(inv, int(action["value"]))
        text = blocks.escape(reply.text)
        if reply.refused:  # the review message stays as it is for the managers who may decide
            await respond(text=text, response_type="ephemeral", replace_original=False)
            return
        await respond(text=text, blocks=blocks.decided_blocks(reply.text), replace_original=True)
        await self._follow_up(inv, reply, client)

    async def on_reject_click(self, body: Payload, action: Payload, client: AsyncWebClient) -> None:
        message_ts = str((body.get("container") or {}).get("message_ts", ""))
        modal = blocks.reject_modal(int(action["value"]), _channel(body), message_ts)
        await client.views_open(trigger_id=body["trigger_id"], view=modal)

    async def on_reject_submit(self, body: Payload, view: Payload, client: AsyncWebClient) -> None:
        meta = json.loads(view["private_metadata"])
        field = view["state"]["values"][blocks.REASON_BLOCK][blocks.REASON_INPUT]
        inv = await self._invocation(client, _team(body), meta["channel"], body["user"]["id"])
        reply = await self.commands.reject(inv, int(meta["prompt_id"]), str(field["value"] or ""))
        if reply.refused:  # a modal has no response URL: the refusal goes by DM
            try:
                await self.platform.direct_message(inv.community, inv.member_id, reply.text)
            except PlatformError as exc:
                log.warning(
                    "Could not tell %s why a rejection was refused: %s", inv.member_id, exc.code
                )
            return
        if meta.get("ts"):
            await client.chat_update(
                channel=meta["channel"],
                ts=meta["ts"],
                text=blocks.escape(reply.text),
                blocks=blocks.decided_blocks(reply.text),
            )
        await self._follow_up(inv, reply, client)

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

    async def _follow_up(self, inv: Invocation, reply: Reply, client: AsyncWebClient) -> None:
        """Side messages of a reply: a review for the managers, a DM, a chart."""
        try:
            if reply.review is not None:
                await self._send_review(inv, reply)
            if reply.direct_message is not None:
                member, text = reply.direct_message
                await self.platform.direct_message(inv.community, member, text)
            if reply.chart_png is not None:
                await self._upload_chart(inv, reply.chart_png, client)
        except PlatformError as exc:
            log.warning("Follow-up of a /tigerbird reply failed: %s", exc.code)

    async def _send_review(self, inv: Invocation, reply: Reply) -> None:
        review = reply.review
        assert review is not None
        layout = blocks.review_blocks(
            review.prompt_id,
            review.text,
            review.category,
            review.suggested_by,
            review.closest,
            review.findings,
        )
        managers = await self.platform.managers(inv.community)
        reached = 0
        for manager in managers:
            text = f"New prompt suggestion: {review.text}"
            try:  # one manager who cannot be DM'd must not keep it from the others
                await self.platform.direct_message(inv.community, manager, text, layout)
                reached += 1
            except PlatformError as exc:
                log.warning(
                    "Could not send suggestion #%s to %s: %s", review.prompt_id, manager, exc.code
                )
        if not reached:
            log.warning(
                "Suggestion #%s reached no manager; `/tigerbird pending` lists it", review.prompt_id
            )

    async def _upload_chart(self, inv: Invocation, png: bytes, client: AsyncWebClient) -> None:
        opened = await client.conversations_open(users=inv.member_id)
        await client.files_upload_v2(
            channel=opened["channel"]["id"],
            content=png,
            filename="tigerbird-stats.png",
            title="Tigerbird engagement",
        )


def _team(body: Payload) -> str:
    return str((body.get("team") or {}).get("id") or body.get("user", {}).get("team_id") or "")


def _channel(body: Payload) -> str:
    return str((body.get("channel") or {}).get("id") or "")


async def _ack(ack: AsyncAck) -> None:
    await ack()
