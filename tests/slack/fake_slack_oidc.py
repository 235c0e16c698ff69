"""Sign in with Slack (OpenID Connect) on the fake: the authorize page approves at once for the
user a test puts "at the browser" (`sign_in_as`), openid.connect.token answers an RS256
id_token carrying the nonce, openid.connect.userInfo answers for the user token, and
/openid/connect/keys publishes the signing key."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.slack.fake_slack_methods import SlackError

Json = dict[str, Any]
SIGNING_KEY = RSAKey.generate_key(2048, parameters={"kid": "fake-slack-1", "use": "sig"})


@dataclass
class OidcGrant:
    user: str
    team: str
    nonce: str
    redirect_uri: str


class OpenIdMethods:
    """Mixed into FakeSlack, which holds `sign_in_as`, `oidc_codes`, `oidc_tokens`,
    `oidc_requests`, `client_id`, `client_secret`, `users`, `base_url`."""

    sign_in_as: str | None
    oidc_codes: dict[str, OidcGrant]
    oidc_tokens: dict[str, str]
    oidc_requests: list[dict[str, str]]
    oidc_forged_nonce: str | None
    client_id: str
    client_secret: str
    users: dict[str, Json]

    @property
    def base_url(self) -> str:  # pragma: no cover - FakeSlack's
        raise NotImplementedError

    def add_oidc_routes(self, app: web.Application) -> None:
        app.router.add_get("/openid/connect/authorize", self._oidc_authorize)
        app.router.add_get("/openid/connect/keys", self._oidc_keys)

    async def _oidc_authorize(self, request: web.Request) -> web.Response:
        q = dict(request.query)
        self.oidc_requests.append(q)
        redirect, state = q.get("redirect_uri", ""), q.get("state", "")
        scopes = set(q.get("scope", "").split())
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return web.Response(status=400, text="invalid_client_id")
        if "openid" not in scopes or not state or not q.get("nonce"):
            return web.Response(status=400, text="invalid_request")
        if self.sign_in_as is None:
            denied = urlencode({"error": "access_denied", "state": state})
            raise web.HTTPFound(f"{redirect}?{denied}")
        user = self.users[self.sign_in_as]
        code = secrets.token_urlsafe(16)
        self.oidc_codes[code] = OidcGrant(user["id"], user["team_id"], q["nonce"], redirect)
        raise web.HTTPFound(f"{redirect}?{urlencode({'code': code, 'state': state})}")

    async def _oidc_keys(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": [SIGNING_KEY.as_dict(private=False)]})

    async def m_openid_connect_token(self, params: Json, team: None) -> Json:
        if (params.get("client_id"), params.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            raise SlackError("invalid_client_id")
        grant = self.oidc_codes.pop(str(params.get("code", "")), None)
        if grant is None:
            raise SlackError("invalid_code")
        if params.get("redirect_uri") != grant.redirect_uri:
            raise SlackError("bad_redirect_uri")
        token = "xoxp-" + secrets.token_urlsafe(16)
        self.oidc_tokens[token] = grant.user
        now = int(time.time())
        claims = {
            "iss": "https://slack.com",
            "sub": grant.user,
            "aud": self.client_id,
            "exp": now + 300,
            "iat": now,
            "auth_time": now,
            "nonce": self.oidc_forged_nonce or grant.nonce,
            "https://slack.com/user_id": grant.user,
            "https://slack.com/team_id": grant.team,
            "name": self.users[grant.user]["name"],
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "fake-slack-1"}, claims, SIGNING_KEY)
        return {"access_token": token, "token_type": "Bearer", "id_token": id_token}

    async def m_openid_connect_userInfo(self, params: Json, team: None) -> Json:
        user_id = self.oidc_tokens.get(str(params.pop("_bearer", "")))
        if user_id is None:
            raise SlackError("invalid_auth")
        user = self.users[user_id]
        return {
            "sub": user_id,
            "https://slack.com/user_id": user_id,
            "https://slack.com/team_id": user["team_id"],
            "name": user["name"],
        }
