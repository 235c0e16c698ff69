"""Sign in with Discord on the fake: the OAuth2 authorize page (it approves at once for the
user a test puts "at the browser"), the token exchange (client secret and PKCE S256 checked),
and the user's own /users/@me and /users/@me/guilds with the Bearer token it handed out."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from aiohttp import web

from tests.discord.discord_contract import discord_checker
from tests.discord.fake_discord_state import ADMINISTRATOR, EVERYTHING, World

CLIENT_ID = "900000000000000001"
CLIENT_SECRET = "discord-client-secret"
API = "/api/v10"


@dataclass
class Grant:
    user_id: int
    redirect_uri: str
    challenge: str
    scope: str


@dataclass
class DiscordSignIns:
    world: World
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    signing_in: int | None = None  # the Discord user at the browser; None: they click Cancel
    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, tuple[int, str]] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def register(
        self,
        app: web.Application,
        rest_handle: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> None:
        """Before the REST catch-all: the user-token routes answer Bearer requests and hand
        the bot's requests on to the REST API."""
        self._rest = rest_handle
        app.router.add_get(API + "/oauth2/authorize", self._authorize)
        app.router.add_post(API + "/oauth2/token", self._token)
        app.router.add_get(API + "/users/@me", self._me)
        app.router.add_get(API + "/users/@me/guilds", self._guilds)

    async def _authorize(self, request: web.Request) -> web.Response:
        q = dict(request.query)
        self.authorize_requests.append(q)
        redirect = q.get("redirect_uri", "")
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return web.Response(status=400, text="Invalid OAuth2 request")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            self.violations.append("authorize without PKCE S256")
        state = q.get("state", "")
        if self.signing_in is None:
            denied = urlencode({"error": "access_denied", "state": state})
            raise web.HTTPFound(f"{redirect}?{denied}")
        code = secrets.token_urlsafe(16)
        challenge, scope = q.get("code_challenge", ""), q.get("scope", "")
        self.codes[code] = Grant(self.signing_in, redirect, challenge, scope)
        raise web.HTTPFound(f"{redirect}?{urlencode({'code': code, 'state': state})}")

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        client_id, secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if (client_id, secret) != (self.client_id, self.client_secret):
            return web.json_response({"error": "invalid_client"}, status=401)
        grant = self.codes.pop(str(form.get("code", "")), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return web.json_response({"error": "invalid_grant"}, status=400)
        if form.get("redirect_uri") != grant.redirect_uri:
            return web.json_response({"error": "invalid_grant"}, status=400)
        verifier = str(form.get("code_verifier", ""))
        digest = hashlib.sha256(verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
            return web.json_response(
                {"error": "invalid_grant", "error_description": 'Invalid "code_verifier"'},
                status=400,
            )
        token = secrets.token_urlsafe(24)
        self.tokens[token] = (grant.user_id, grant.scope)
        answer = {"access_token": token, "token_type": "Bearer", "expires_in": 604800,
                  "refresh_token": secrets.token_urlsafe(24), "scope": grant.scope}  # fmt: skip
        return web.json_response(answer)

    def _bearer(self, request: web.Request, scope: str) -> int | None:
        auth = request.headers.get("Authorization", "")
        found = self.tokens.get(auth.removeprefix("Bearer "))
        if not auth.startswith("Bearer ") or found is None or scope not in found[1].split():
            return None
        return found[0]

    async def _me(self, request: web.Request) -> web.StreamResponse:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return await self._rest(request)
        user = self._bearer(request, "identify")
        if user is None:
            return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        for guild in self.world.guilds.values():
            if user in guild.users:
                return web.json_response(guild.users[user])
        return web.json_response({"message": "Unknown User", "code": 10013}, status=404)

    async def _guilds(self, request: web.Request) -> web.StreamResponse:
        query = dict(request.query)
        self.violations += discord_checker().check("GET", "/users/@me/guilds", query, None)[1]
        user = self._bearer(request, "guilds")
        if user is None:
            return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        listed: list[dict[str, object]] = []
        for guild in self.world.guilds.values():
            if user not in guild.members:
                continue
            perms = int(guild.roles[guild.id]["permissions"])
            for role in guild.members[user]:
                perms |= int(guild.roles[role]["permissions"])
            if user == guild.owner_id or perms & ADMINISTRATOR:
                perms = EVERYTHING
            listed.append({"id": str(guild.id), "name": guild.name, "icon": None,
                           "owner": user == guild.owner_id, "permissions": str(perms),
                           "features": []})  # fmt: skip
        return web.json_response(listed)
