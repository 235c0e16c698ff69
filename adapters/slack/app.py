"""The running Slack adapter: a bolt AsyncApp fed by Socket Mode or by HTTP (/slack/events,
plus /slack/install and /slack/oauth_redirect when multi-workspace OAuth is on)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request import payload_utils
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.members import MemberDirectory
from adapters.slack.platform import SlackPlatform
from adapters.slack.standing import SlackStandings

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


class SlackAdapter:
    """What the application drives (a bot.core.ports.Adapter): `platform` for posting,
    start()/stop() for events."""

    def __init__(
        self,
        bolt: AsyncApp,
        platform: SlackPlatform,
        *,
        app_token: str | None,
        http_port: int | None,
        http_host: str = "0.0.0.0",
        engine: AsyncEngine | None = None,
        signing_secret: str = "",
        serves_http: bool = False,
        members: MemberDirectory | None = None,
        access_log: bool = False,
    ) -> None:
        self.bolt = bolt
        self.platform = platform
        self.standings = SlackStandings(platform)
        # HTTP events wanted: on its own port (`http_port`), or on the process's one
        # application through `add_routes` (bot.app serves it with the dashboard).
        self.serves_http = serves_http or http_port is not None
        self._app_token = app_token
        self._http_port = http_port
        self._http_host = http_host
        self._engine = engine
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self.bound_port: int | None = None
        self.members = members
        self._access_log = access_log

    async def start(self) -> None:
        """Connect Socket Mode and/or serve HTTP; returns once events can arrive."""
        if self._http_port is not None:
            await self._serve_http(self._http_port)
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.bolt, self._app_token)
            # The SDK retries a refused connection forever; ask once ourselves so a wrong
            # SLACK_APP_TOKEN fails start-up with Slack's reason instead of hanging.
            self._socket.client.wss_uri = await self._socket_url(self._app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack Socket Mode connected")

    async def _socket_url(self, app_token: str) -> str:
        try:
            response = await self.bolt.client.apps_connections_open(app_token=app_token)
        except SlackApiError as exc:
            await self.stop()
            reason = exc.response.get("error")
            raise RuntimeError(f"Slack refused SLACK_APP_TOKEN for Socket Mode: {reason}") from exc
        return str(response["url"])

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.members is not None:
            await self.members.aclose()
        await self.platform.aclose()
        if self._engine is not None:
            await self._engine.dispose()

    def web_app(self) -> web.Application:
        """An application with the Slack routes alone."""
        app = web.Application()
        self.add_routes(app)
        return app

    def add_routes(self, app: web.Application) -> None:
        """The aiohttp routes: events, commands and interactivity; OAuth when enabled."""
        app.router.add_post(EVENTS_PATH, self._dispatch)
        flow = self.bolt.oauth_flow
        if flow is not None:
            app.router.add_get(flow.install_path, self._install)
            app.router.add_get(flow.redirect_uri_path, self._oauth_redirect)

    async def _serve_http(self, port: int) -> None:
        # One log line per event costs CPU the event path needs (SLACK_ACCESS_LOG turns it on).
        if self._access_log:
            self._runner = web.AppRunner(self.web_app())
        else:
            self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._http_host, port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.bound_port = sockets[0].getsockname()[1] if sockets else port
        log.info("Slack HTTP endpoint listening on port %s", self.bound_port)

    async def _dispatch(self, request: web.Request) -> web.Response:
        refused = await self._unsigned(request)
        if refused:
            log.warning("Refused a request on %s: %s", EVENTS_PATH, refused)
            return web.Response(status=401, text="invalid request")
        try:
            bolt_request = await to_bolt_request(request)
            _payload_parts(bolt_request.body)
        except (TypeError, LookupError, AttributeError, ValueError) as exc:
            # bolt reads user/team ids out of the body before checking the signature and
            # assumes Slack's field types; a malformed body is the sender's error, not ours
            log.warning("Refused a malformed request on %s: %s", EVENTS_PATH, type(exc).__name__)
            return web.Response(status=400, text="malformed request")
        response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    async def _unsigned(self, request: web.Request) -> str:
        """Why a request is not signed by Slack ('' when it is); checked before bolt reads the
        body, which it otherwise parses first and fails on a malformed timestamp with a 500."""
        if self._verifier is None:
            return ""
        timestamp = request.headers.get("X-Slack-Request-Timestamp")
        signature = request.headers.get("X-Slack-Signature")
        if not timestamp or not signature:
            return "no X-Slack-Request-Timestamp or X-Slack-Signature header"
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            return "X-Slack-Request-Timestamp is not a Unix time"
        body = await request.read()
        if not self._verifier.is_valid(body, timestamp, signature):
            return "bad signature, or signed more than 5 minutes ago"
        return ""

    async def _install(self, request: web.Request) -> web.Response:
        flow = self.bolt.oauth_flow
        if flow is None:
            raise web.HTTPNotFound(text="Slack OAuth is not set up")
        response = await flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def _oauth_redirect(self, request: web.Request) -> web.Response:
        flow = self.bolt.oauth_flow
        if flow is None:
            raise web.HTTPNotFound(text="Slack OAuth is not set up")
        response = await flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(response)


def _payload_parts(body: dict[str, Any]) -> None:
    """Extract the parts bolt hands to listeners, as bolt does for every request (an error
    there is logged with a traceback and answered 500): a signed but malformed payload,
    e.g. block_actions with no actions, raises here instead."""
    for part in (
        payload_utils.to_options,
        payload_utils.to_shortcut,
        payload_utils.to_action,
        payload_utils.to_view,
        payload_utils.to_command,
        payload_utils.to_event,
        payload_utils.to_message,
        payload_utils.to_step,
    ):
        part(body)
