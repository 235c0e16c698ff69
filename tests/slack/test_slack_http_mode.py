"""HTTP mode: start() listens on TIGERBIRD_HTTP_PORT and answers Slack's URL check."""

from __future__ import annotations

import json
import logging
import socket

import pytest
from pydantic import SecretStr, ValidationError

from adapters.slack import SlackConfigError, build
from bot.app.settings import Settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_fakes import ChartCommands, NoCore
from tests.slack.slack_requests import post_signed
from tests.slack.slack_stack import SECRET, slack_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_start_serves_signed_requests(fake_slack: FakeSlack, sqlite_url: str) -> None:
    port = free_port()
    settings = slack_settings(fake_slack, sqlite_url, TIGERBIRD_HTTP_PORT=str(port))
    adapter = build(settings, NoCore(), ChartCommands(), http_host="127.0.0.1")
    await adapter.start()
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        ok = await post_signed(url, body, "application/json", SECRET)
        forged = await post_signed(url, body, "application/json", SECRET, forged=True)
    finally:
        await adapter.stop()

    assert ok[0] == 200 and "c-123" in ok[1]
    assert forged[0] == 401


def test_settings_that_cannot_run_are_refused() -> None:
    # Settings refuse them at start-up, naming the settings (tests/test_cli_errors.py) ...
    with pytest.raises(ValidationError, match="SLACK_SIGNING_SECRET set without"):
        Settings(SLACK_SIGNING_SECRET="s")
    with pytest.raises(ValidationError, match="SLACK_BOT_TOKEN needs"):
        Settings(SLACK_BOT_TOKEN="xoxb-1")
    # ... and the adapter still refuses them when handed unvalidated settings.
    no_token = Settings.model_construct(slack_signing_secret=SecretStr("s"))
    no_secret = Settings.model_construct(slack_bot_token=SecretStr("xoxb-1"))
    for settings in (no_token, no_secret):
        with pytest.raises(SlackConfigError):
            build(settings, NoCore(), ChartCommands())


@pytest.mark.parametrize("enabled", ["false", "true"])
async def test_the_access_log_is_written_only_when_asked_for(
    fake_slack: FakeSlack, sqlite_url: str, caplog: pytest.LogCaptureFixture, enabled: str
) -> None:
    port = free_port()
    extra = {"TIGERBIRD_HTTP_PORT": str(port), "SLACK_ACCESS_LOG": enabled}
    settings = slack_settings(fake_slack, sqlite_url, **extra)
    adapter = build(settings, NoCore(), ChartCommands(), http_host="127.0.0.1")
    await adapter.start()
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    try:
        status, _ = await post_signed(
            f"http://127.0.0.1:{port}/slack/events", body, "application/json", SECRET
        )
    finally:
        await adapter.stop()

    logged = [r for r in caplog.records if r.name == "aiohttp.access"]
    assert status == 200 and len(logged) == (1 if enabled == "true" else 0)
