"""Sign in with Slack (OpenID Connect: state + nonce, the id_token checked against Slack's
keys) and with Discord (OAuth2 identify + guilds: state + PKCE S256), through Authlib.

Each provider's endpoints come from the platform's API base URL (SLACK_API_URL,
DISCORD_API_URL), so tests sign in against the loopback fakes. The access token is used once,
here, and never stored, rendered or logged."""

from __future__ import annotations

import secrets
from hmac import compare_digest
from typing import Any

import httpx2
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from adapters.web.config import OAuthClient
from adapters.web.identity import SignedIn, SignInFailed
from bot.core.authz import Person
from bot.core.domain import PlatformName

DISCORD_API = "https://discord.com/api/v10"
TIMEOUT_SECONDS = 10.0


def _client(oauth: OAuthClient, redirect_uri: str, **extra: Any) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        oauth.client_id,
        oauth.client_secret,
        redirect_uri=redirect_uri,
        timeout=TIMEOUT_SECONDS,
        **extra,
    )


def _code(query: dict[str, str], saved: dict[str, str]) -> str:
    if query.get("error"):
        raise SignInFailed(f"the platform answered: {query['error'][:80]}")
    state, expected = query.get("state", ""), saved.get("state", "")
    if not state or not expected or not compare_digest(state, expected):
        raise SignInFailed("the sign-in was not started here, or started twice (state)")
    code = query.get("code", "")
    if not code:
        raise SignInFailed("the platform sent no code")
    return code


class SlackSignIn:
    name = "slack"
    label = "Sign in with Slack"
    scope = "openid profile"

    def __init__(self, oauth: OAuthClient) -> None:
        self.oauth = oauth
        self.api = oauth.api_url if oauth.api_url.endswith("/") else oauth.api_url + "/"
        self.site = self.api.removesuffix("api/")  # https://slack.com/

    def start(self, redirect_uri: str) -> tuple[str, dict[str, str]]:
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        client = _client(self.oauth, redirect_uri, scope=self.scope)
        url, _ = client.create_authorization_url(
            self.site + "openid/connect/authorize", state=state, nonce=nonce
        )
        return url, {"state": state, "nonce": nonce}

    async def finish(
        self, query: dict[str, str], saved: dict[str, str], redirect_uri: str
    ) -> SignedIn:
        code = _code(query, saved)
        extra = {"token_endpoint_auth_method": "client_secret_post"}
        async with _client(self.oauth, redirect_uri, **extra) as client:
            try:
                token = await client.fetch_token(self.api + "openid.connect.token", code=code)
                keys = (await client.get(self.site + "openid/connect/keys")).json()
                info = (await client.get(self.api + "openid.connect.userInfo")).json()
            except (OAuthError, httpx2.HTTPError, ValueError) as exc:
                raise SignInFailed(f"Slack refused the sign-in ({type(exc).__name__})") from exc
        claims = self._checked_claims(str(token.get("id_token", "")), keys, saved["nonce"])
        if not info.get("ok") or info.get("sub") != claims.get("sub"):
            raise SignInFailed("Slack's user information did not match the sign-in")
        user = str(info.get("https://slack.com/user_id") or "")
        team = str(info.get("https://slack.com/team_id") or "")
        if not user or not team:
            raise SignInFailed("Slack did not say which user and workspace signed in")
        person = Person(PlatformName.SLACK, user, str(info.get("name") or user))
        return SignedIn(person, (team,))

    def _checked_claims(self, id_token: str, keys: Any, nonce: str) -> dict[str, Any]:
        """The id_token's claims once its signature, audience, expiry and nonce check out."""
        rules = jwt.JWTClaimsRegistry(
            aud={"essential": True, "value": self.oauth.client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
            sub={"essential": True},
        )
        try:
            claims = jwt.decode(id_token, KeySet.import_key_set(keys), algorithms=["RS256"]).claims
            rules.validate(claims)
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise SignInFailed(
                f"Slack's id_token did not check out ({type(exc).__name__})"
            ) from exc
        return dict(claims)


class DiscordSignIn:
    name = "discord"
    label = "Sign in with Discord"
    scope = "identify guilds"

    def __init__(self, oauth: OAuthClient) -> None:
        self.oauth = oauth
        self.api = (oauth.api_url or DISCORD_API).rstrip("/")

    def start(self, redirect_uri: str) -> tuple[str, dict[str, str]]:
        state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(64)
        client = _client(self.oauth, redirect_uri, scope=self.scope, code_challenge_method="S256")
        url, _ = client.create_authorization_url(
            self.api + "/oauth2/authorize", state=state, code_verifier=verifier, prompt="none"
        )
        return url, {"state": state, "verifier": verifier}

    async def finish(
        self, query: dict[str, str], saved: dict[str, str], redirect_uri: str
    ) -> SignedIn:
        code = _code(query, saved)
        async with _client(self.oauth, redirect_uri, code_challenge_method="S256") as client:
            try:
                await client.fetch_token(
                    self.api + "/oauth2/token", code=code, code_verifier=saved["verifier"]
                )
                me = (await client.get(self.api + "/users/@me")).raise_for_status().json()
                guilds = (await client.get(self.api + "/users/@me/guilds")).raise_for_status()
            except (OAuthError, httpx2.HTTPError, ValueError, KeyError) as exc:
                raise SignInFailed(f"Discord refused the sign-in ({type(exc).__name__})") from exc
        user = str(me.get("id") or "")
        if not user.isdigit():
            raise SignInFailed("Discord did not say who signed in")
        name = str(me.get("global_name") or me.get("username") or user)
        servers = tuple(str(g["id"]) for g in guilds.json() if str(g.get("id", "")).isdigit())
        return SignedIn(Person(PlatformName.DISCORD, user, name), servers)
