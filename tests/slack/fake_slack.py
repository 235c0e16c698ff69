"""A fake Slack for tests: Web API, OAuth exchange, response URLs, file uploads and Socket
Mode, served by aiohttp on 127.0.0.1. Every Web API call is recorded and checked against the
official OpenAPI spec; a violation is kept in `violations` (the fixture fails the test)."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.helpers import bound_port
from tests.slack.fake_slack_methods import Channel, SlackError, Team, WebApiMethods, _message
from tests.slack.fake_slack_oidc import OidcGrant, OpenIdMethods
from tests.slack.slack_contract import violations

Json = dict[str, Any]
ACK_WAIT_SECONDS = 5.0


@dataclass
class Call:
    method: str
    params: Json
    token: str | None


@dataclass
class Failure:
    method: str
    error: str | None = None
    status: int = 200
    retry_after: int | None = None
    times: int = 1
    channel: str | None = None
    after_success: bool = False  # do the work, then answer with the error status


@dataclass
class FakeSlack(WebApiMethods, OpenIdMethods):
    """State of the fake workspace(s) plus everything the clients sent."""

    app_token: str = "xapp-1-test"
    client_id: str = "111.222"
    client_secret: str = "client-secret"
    teams: dict[str, Team] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    users: dict[str, Json] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    responses: list[Json] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    oauth_codes: dict[str, Team] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    # Methods whose answers wait until the test sets the event; `answered` logs every answer.
    held: dict[str, asyncio.Event] = field(default_factory=dict)
    answered: list[str] = field(default_factory=list)
    sign_in_as: str | None = None  # who signs in with Slack (OpenID Connect) at the browser
    oidc_codes: dict[str, OidcGrant] = field(default_factory=dict)
    oidc_tokens: dict[str, str] = field(default_factory=dict)
    oidc_requests: list[dict[str, str]] = field(default_factory=list)
    oidc_forged_nonce: str | None = None  # an id_token carrying another nonce (a replay)
    port: int = 0
    _last_ts: float = 0.0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _acks: dict[str, asyncio.Future[Json]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None

    # --- set-up ---------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_team(self, team_id: str = "T1", **kwargs: Any) -> Team:
        n = len(self.teams) + 1
        team = Team(team_id, f"xoxb-{team_id}-token", f"UBOT{n}", f"BBOT{n}", **kwargs)
        self.teams[team.bot_token] = team
        self.add_user(team.bot_user_id, team_id, is_bot=True)
        return team

    def add_user(self, user_id: str, team_id: str = "T1", **flags: bool) -> None:
        self.users[user_id] = {"id": user_id, "team_id": team_id, "name": user_id.lower(), **flags}

    def add_channel(self, channel_id: str, team_id: str = "T1", **kwargs: Any) -> Channel:
        channel = Channel(channel_id, team_id, kwargs.pop("name", channel_id.lower()), **kwargs)
        self.channels[channel_id] = channel
        return channel

    def fail(self, method: str, **kwargs: Any) -> None:
        """Make the next call(s) of `method` (in `channel`, if given) fail: an error code,
        an HTTP status, Retry-After."""
        self.failures.append(Failure(method, **kwargs))

    def team(self, team_id: str) -> Team:
        return next(t for t in self.teams.values() if t.id == team_id)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def react(self, channel: str, ts: str, user: str, name: str) -> None:
        """A person adds a reaction (no event is sent: deliver one, or let the bot miss it)."""
        reacted = _message(self.channels[channel], ts).setdefault("_reacted_by", {})
        if user not in reacted.setdefault(name, []):
            reacted[name].append(user)

    def unreact(self, channel: str, ts: str, user: str, name: str) -> None:
        _message(self.channels[channel], ts)["_reacted_by"][name].remove(user)

    def reply(self, channel: str, ts: str, user: str, text: str = "a reply") -> Json:
        """A person replies in a message's thread (no event is sent: deliver one, or let the
        bot miss it)."""
        _message(self.channels[channel], ts)
        message = {"type": "message", "ts": self._next_ts(), "user": user, "text": text,
                   "thread_ts": ts}  # fmt: skip
        self.channels[channel].messages.append(message)
        return message

    def posts(self, channel: str) -> list[Json]:
        """Top-level messages the bots posted in a channel, oldest first."""
        return [m for m in self.channels[channel].messages if "thread_ts" not in m]

    # --- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/link", self._socket)
        self.add_oidc_routes(app)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = bound_port(site)

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    # --- socket mode ----------------------------------------------------------------

    @property
    def socket_connected(self) -> bool:
        return any(not ws.closed for ws in self._sockets)

    async def socket_send(self, kind: str, payload: Json) -> Json:
        """Send an envelope to the connected app; return its acknowledgement."""
        envelope_id = f"env-{next(self._ids)}"
        ack: asyncio.Future[Json] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = ack
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        ws = next(ws for ws in self._sockets if not ws.closed)
        await ws.send_str(json.dumps(envelope))
        return await asyncio.wait_for(ack, ACK_WAIT_SECONDS)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                future = self._acks.pop(data.get("envelope_id", ""), None)
                if future and not future.done():
                    future.set_result(data)
        return ws

    # --- plain HTTP endpoints -------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.responses.append({"key": request.match_info["key"], **body})
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - uploaded")

    # --- Web API --------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, token, basic_auth = await _read_params(request)
        self.calls.append(Call(method, params, token))
        self.violations.extend(violations(method, params, token is not None))
        failure = self._take_failure(method, params)
        if failure and failure.status != 200 and failure.after_success:
            team = self._authenticate(method, token)
            await getattr(self, "m_" + method.replace(".", "_"))(params, team)
        if failure and failure.status != 200:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            body = {"ok": False, "error": "ratelimited" if failure.status == 429 else "fatal"}
            return web.json_response(body, status=failure.status, headers=headers)
        headers = {}
        try:
            if failure:
                raise SlackError(failure.error)
            team = self._authenticate(method, token)
            if team is not None:
                headers["x-oauth-scopes"] = team.scopes
            handler = getattr(self, "m_" + method.replace(".", "_"), None)
            if handler is None:
                raise SlackError("unknown_method")
            if method == "oauth.v2.access":
                params["_basic_auth"] = basic_auth
            if method == "openid.connect.userInfo":
                params["_bearer"] = token
            result: Json = await handler(params, team)
        except SlackError as exc:
            result = {"ok": False, "error": str(exc)}
        if method in self.held:
            await self.held[method].wait()
        self.answered.append(method)
        return web.json_response({"ok": True, **result}, headers=headers)

    def _take_failure(self, method: str, params: Json) -> Failure | None:
        for failure in self.failures:
            wrong_channel = failure.channel and params.get("channel") != failure.channel
            if failure.method == method and failure.times > 0 and not wrong_channel:
                failure.times -= 1
                return failure
        return None

    def _authenticate(self, method: str, token: str | None) -> Team | None:
        if method in ("oauth.v2.access", "openid.connect.token", "openid.connect.userInfo"):
            return None  # client credentials, or a signed-in person's own token
        if method == "apps.connections.open":
            if token != self.app_token:
                raise SlackError("invalid_auth")
            return None
        if token is None:
            raise SlackError("not_authed")
        if token not in self.teams:
            raise SlackError("invalid_auth")
        return self.teams[token]

    def _channel(self, channel_id: str, team: Team) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None or channel.team_id != team.id:
            raise SlackError("channel_not_found")
        return channel

    def _next_ts(self) -> str:
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"


async def _read_params(request: web.Request) -> tuple[Json, str | None, tuple[str, str]]:
    params: Json = dict(request.query)
    raw = await request.read()
    if raw:
        if request.content_type == "application/json":
            params.update(json.loads(raw))
        else:
            params.update(parse_qsl(raw.decode(), keep_blank_values=True))
    token = params.pop("token", None)
    basic = ("", "")
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        token = auth.removeprefix("Bearer ")
    elif auth.startswith("Basic "):
        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        basic = (client_id, secret)
    return params, token, basic
