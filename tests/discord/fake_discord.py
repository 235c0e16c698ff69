"""A fake Discord on 127.0.0.1: contract-checked REST plus a shard-aware gateway websocket."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord import fake_discord_routes  # noqa: F401  (registers the REST handlers)
from tests.discord.fake_discord_oauth import DiscordSignIns
from tests.discord.fake_discord_rest import Injected, RestApi, rate_limit_headers
from tests.discord.fake_discord_state import APP_ID, BOT_TOKEN, World, user_payload
from tests.helpers import bound_port

GUILDS, GUILD_MESSAGES, GUILD_MESSAGE_REACTIONS = 1 << 0, 1 << 9, 1 << 10
PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
EVENT_INTENT = {
    "MESSAGE_CREATE": GUILD_MESSAGES,
    "MESSAGE_REACTION_ADD": GUILD_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE": GUILD_MESSAGE_REACTIONS,
    "THREAD_CREATE": GUILDS,
    "GUILD_CREATE": GUILDS,
    "GUILD_UPDATE": GUILDS,
    "GUILD_ROLE_UPDATE": GUILDS,
    "CHANNEL_UPDATE": GUILDS,
    # GUILD_MEMBER_UPDATE needs the members intent, except for the bot's own member
    # (fake_discord_admin only sends that one).
}


@dataclass
class Session:
    """One shard's gateway session; events are kept so a RESUME can replay them."""

    id: str
    shard: tuple[int, int]
    intents: int
    ws: web.WebSocketResponse | None = None
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    identifies: int = 0
    resumes: int = 0

    def owns(self, guild_id: int) -> bool:
        shard_id, count = self.shard
        return (guild_id >> 22) % count == shard_id


class FakeDiscord:
    """Start with `await fake.start()`; point DISCORD_API_URL/DISCORD_GATEWAY_URL at it."""

    def __init__(self) -> None:
        self.world = World()
        self.rest = RestApi(self.world, self.dispatch)
        self.sign_ins = DiscordSignIns(self.world)
        self.sessions: dict[str, Session] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application(middlewares=[rate_limit_headers])
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/gateway/", self._gateway)
        self.sign_ins.register(app, self.rest.handle)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = bound_port(site)
        self.rest.gateway_url = self.gateway_url

    async def stop(self) -> None:
        for session in self.sessions.values():
            if session.ws is not None:
                await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test controls --------------------------------------------------------------

    def inject(self, method: str, template: str, status: int, retry_after: float = 0.0) -> None:
        """The next `method template` request gets `status` (429 with retry_after like Discord)."""
        self.rest.injected.append(Injected(method, template, status, retry_after))

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every gateway socket from the server side, as Discord does on a restart."""
        for session in self.sessions.values():
            if session.ws is not None and not session.ws.closed:
                ws, session.ws = session.ws, None
                await ws.close(code=code, message=b"fake restart")

    def dispatch(self, guild_id: int, name: str, data: dict[str, Any]) -> None:
        """Send an event to the session whose shard owns the guild (queued while it is away)."""
        for session in self.sessions.values():
            needs = EVENT_INTENT.get(name, 0)  # interactions need no intent
            if not session.owns(guild_id) or (needs and not session.intents & needs):
                continue
            session.seq += 1
            frame = {"op": 0, "t": name, "s": session.seq, "d": data}
            session.sent.append(frame)
            if session.ws is not None and not session.ws.closed:
                asyncio.get_running_loop().create_task(session.ws.send_json(frame))

    def events_for(self, guild_id: int, name: str) -> list[dict[str, Any]]:
        return [
            f["d"]
            for s in self.sessions.values()
            for f in s.sent
            if f["t"] == name and f["d"].get("guild_id") == str(guild_id)
        ]

    async def wait_until(self, predicate: Callable[[], bool], within: float = 10.0) -> None:
        """Poll until `predicate()` holds; `within` is only a safety net against hangs."""
        async with asyncio.timeout(within):
            # polling: the predicates read state spread over the fake and the bot's database
            while not predicate():  # noqa: ASYNC110
                await asyncio.sleep(0.01)

    def assert_contract_kept(self) -> None:
        assert self.rest.violations == [], "\n".join(self.rest.violations)
        assert self.sign_ins.violations == [], "\n".join(self.sign_ins.violations)

    # --- gateway --------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            frame = msg.json()
            if frame["op"] == 1:
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif frame["op"] == 2:
                await self._identify(ws, frame["d"])
            elif frame["op"] == 6:
                await self._resume(ws, frame["d"])
        return ws

    async def _identify(self, ws: web.WebSocketResponse, d: dict[str, Any]) -> None:
        if d.get("token") != BOT_TOKEN:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if d.get("intents", 0) & PRIVILEGED:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard_id, count = d.get("shard", [0, 1])
        session = Session(secrets.token_hex(8), (shard_id, count), d.get("intents", 0), ws=ws)
        session.identifies += 1
        self.sessions[session.id] = session
        mine = [g for g in self.world.guilds.values() if session.owns(g.id)]
        ready = {
            "v": 10,
            "user": user_payload(APP_ID, "Tigerbird", bot=True),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in mine],
            "session_id": session.id,
            "resume_gateway_url": self.gateway_url,
            "shard": [shard_id, count],
            "application": {"id": str(APP_ID), "flags": 0},
        }
        session.seq += 1
        await ws.send_json({"op": 0, "t": "READY", "s": session.seq, "d": ready})
        for guild in mine:
            self.dispatch(guild.id, "GUILD_CREATE", guild.gateway_payload())

    async def _resume(self, ws: web.WebSocketResponse, d: dict[str, Any]) -> None:
        session = self.sessions.get(d.get("session_id", ""))
        if session is None or d.get("token") != BOT_TOKEN:
            await ws.send_json({"op": 9, "d": False, "s": None, "t": None})
            return
        session.ws = ws
        session.resumes += 1
        for frame in session.sent:
            if frame["s"] > (d.get("seq") or 0):
                await ws.send_json(frame)
        session.seq += 1
        await ws.send_json({"op": 0, "t": "RESUMED", "s": session.seq, "d": {}})
