"""What the platforms must be told for sign-in matches what the dashboard asks for."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.web.config import OAuthClient
from adapters.web.oauth import DiscordSignIn, SlackSignIn

ROOT = Path(__file__).resolve().parents[2]


def test_the_slack_manifest_allows_the_sign_in_scopes_and_redirect() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    oauth = manifest["oauth_config"]
    assert sorted(oauth["scopes"]["user"]) == sorted(SlackSignIn.scope.split())
    assert any(url.endswith("/signin/slack/callback") for url in oauth["redirect_urls"])


def test_sign_in_urls_come_from_the_api_base_urls() -> None:
    slack = SlackSignIn(OAuthClient("1.2", "s", "https://slack.example/api/"))
    url, saved = slack.start("https://dash.example/signin/slack/callback")
    assert url.startswith("https://slack.example/openid/connect/authorize?")
    assert f"state={saved['state']}" in url and f"nonce={saved['nonce']}" in url
    assert "s" not in saved.values()  # the client secret never goes to the browser
    discord = DiscordSignIn(OAuthClient("42", "secret", ""))
    url, saved = discord.start("https://dash.example/signin/discord/callback")
    assert url.startswith("https://discord.com/api/v10/oauth2/authorize?")
    assert "code_challenge_method=S256" in url and saved["verifier"] not in url
    assert "secret" not in url
