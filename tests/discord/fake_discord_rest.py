"""The fake Discord's REST API: each request is contract-checked, then served from the World."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.discord.discord_contract import discord_checker
from tests.discord.fake_discord_state import (
    ADD_REACTIONS,
    APP_ID,
    BOT_TOKEN,
    CREATE_PUBLIC_THREADS,
    EMBED_LINKS,
    MANAGE_MESSAGES,
    PIN_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    FakeChannel,
    FakeGuild,
    World,
    iso_now,
    snowflake,
    user_payload,
)

NONCE_WINDOW_SECONDS = 300
Params = dict[str, str]
Handler = Callable[["RestApi", Params, dict[str, str], Any], Awaitable[web.Response]]
HANDLERS: dict[tuple[str, str], Handler] = {}


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[(method, template)] = handler
        return handler

    return register


class DiscordError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Injected:
    """A failure the next matching request receives instead of being served."""

    method: str
    template: str
    status: int
    retry_after: float = 0.0


@dataclass(frozen=True)
class Logged:
    method: str
    template: str
    path: str
    query: dict[str, str]
    body: Any


class RestApi:
    """Serves /api/v10/*; `violations` lists every request that breaks Discord's contract."""

    def __init__(self, world: World, on_dispatch: Callable[[int, str, dict[str, Any]], None]):
        self.world = world
        self.dispatch = on_dispatch
        self.violations: list[str] = []
        self.log: list[Logged] = []
        self.injected: list[Injected] = []
        self.gateway_url = ""

    def calls(self, method: str, template: str) -> list[Logged]:
        return [c for c in self.log if c.method == method and c.template == template]

    async def handle(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info.get("tail", request.path.removeprefix("/api/v10/"))
        body = await _read_body(request)
        query = dict(request.query)
        op, problems = discord_checker().check(request.method, path, query, body)
        if request.headers.get("Authorization") != f"Bot {BOT_TOKEN}" and not _token_route(path):
            problems.append(f"bad Authorization on {request.method} {path}")
        self.violations += problems
        if op is None:
            return _error(404, 0, "404: Not Found")
        self.log.append(Logged(op.method, op.template, path, query, body))
        if (fail := self._take_injected(op.method, op.template)) is not None:
            return _injected_response(fail)
        handler = HANDLERS.get((op.method, op.template))
        if handler is None:
            self.violations.append(f"fake Discord does not serve {op.method} {op.template}")
            return _error(501, 0, "not implemented by the fake")
        params = _path_params(op.template, path)
        try:
            return await handler(self, params, query, body)
        except DiscordError as exc:
            return _error(exc.status, exc.code, exc.message)

    def _take_injected(self, method: str, template: str) -> Injected | None:
        for item in self.injected:
            if item.method == method and item.template == template:
                self.injected.remove(item)
                return item
        return None

    def text_channel(self, channel_id: str) -> tuple[FakeGuild, FakeChannel]:
        found = self.world.channel(int(channel_id))
        if found is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return found

    def require(self, guild: FakeGuild, channel: FakeChannel, *needed: int) -> None:
        perms = guild.permissions(APP_ID, channel)
        if not perms & VIEW_CHANNEL:
            raise DiscordError(403, 50001, "Missing Access")
        for bit in needed:
            if not perms & bit:
                raise DiscordError(403, 50013, "Missing Permissions")

    def message(self, channel_id: str, message_id: str) -> dict[str, Any]:
        message = self.world.messages.get(int(message_id))
        if message is None or message["channel_id"] != channel_id:
            raise DiscordError(404, 10008, "Unknown Message")
        return message


async def _read_body(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    if request.content_type == "multipart/form-data":
        form = await request.post()
        raw = form.get("payload_json")
        return json.loads(str(raw)) if raw is not None else {}
    text = await request.text()
    return json.loads(text) if text else None


def _token_route(path: str) -> bool:
    return path.startswith(("/interactions/", "/webhooks/"))


def _path_params(template: str, path: str) -> Params:
    params: Params = {}
    for name, value in zip(template.split("/"), path.split("/"), strict=True):
        if name.startswith("{"):
            params[name.strip("{}")] = unquote(value)
    return params


def rate_headers(template: str) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": f"bucket-{abs(hash(template)) % 10**8}",
    }


def ok(data: Any, status: int = 200) -> web.Response:
    if status == 204:
        return web.Response(status=204)
    return json_response(data, status)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with Discord's exact content type (discord.py compares it verbatim)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def _error(status: int, code: int, message: str) -> web.Response:
    return json_response({"message": message, "code": code}, status)


def _injected_response(fail: Injected) -> web.Response:
    if fail.status == 429:
        body = {
            "message": "You are being rate limited.",
            "retry_after": fail.retry_after,
            "global": False,
        }
        headers = {
            "Retry-After": str(max(1, int(fail.retry_after))),
            "X-RateLimit-Scope": "user",
            "Via": "1.1 google",
        }
        return json_response(body, 429, headers)
    return _error(fail.status, 0, "injected failure")


@web.middleware
async def rate_limit_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    response = await handler(request)
    if response.status != 429:
        response.headers.update(rate_headers(request.path))
    return response


def new_message(
    channel: FakeChannel, author: dict[str, Any], body: dict[str, Any], mtype: int = 0
) -> dict[str, Any]:
    return {
        "id": str(snowflake()),
        "channel_id": str(channel.id),
        "author": author,
        "content": body.get("content") or "",
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "pinned": False,
        "type": mtype,
        "flags": body.get("flags") or 0,
        # what the bot asked for, kept so tests can assert on it
        "_allowed_mentions": body.get("allowed_mentions"),
    }


def public(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if not k.startswith("_")}


def bot_author() -> dict[str, Any]:
    return user_payload(APP_ID, "Tigerbird", bot=True)


SEND_NEEDS = (SEND_MESSAGES,)
EMBED_NEEDS = (SEND_MESSAGES, EMBED_LINKS)
REACT_NEEDS = (ADD_REACTIONS, READ_MESSAGE_HISTORY)
THREAD_NEEDS = (CREATE_PUBLIC_THREADS,)
PIN_EITHER = (PIN_MESSAGES, MANAGE_MESSAGES)
