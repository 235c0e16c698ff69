"""Requests as Slack sends them to an app: v0-signed Events API callbacks, slash commands and
interactivity payloads (the same payloads also travel in Socket Mode envelopes)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.slack.slack_contract import event_wrapper_violations

Json = dict[str, Any]
_ids = itertools.count(1)


def signature(secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 signature: HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


async def post_signed(
    url: str,
    body: str,
    content_type: str,
    secret: str,
    *,
    age_seconds: int = 0,
    forged: bool = False,
    timestamp: str | None = None,
) -> tuple[int, str]:
    """POST `body` signed as Slack would (or forged, or signed too long ago); the same
    `timestamp` twice sends the very same signed request again (a replay)."""
    timestamp = timestamp or str(int(time.time()) - age_seconds)
    sig = signature("not-the-secret" if forged else secret, timestamp, body)
    headers = {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sig,
    }
    return await post_raw(url, body, content_type, headers)


async def post_raw(
    url: str, body: str, content_type: str, headers: dict[str, str]
) -> tuple[int, str]:
    """POST `body` with exactly these Slack headers."""
    headers = {"Content-Type": content_type, **headers}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body.encode(), headers=headers) as response,
    ):
        return response.status, await response.text()


def event_callback(team: str, event: Json, bot_user_id: str) -> Json:
    """An Events API envelope around `event`, checked against Slack's wrapper schema."""
    body = {
        "token": "legacy-verification-token",
        "team_id": team,
        "api_app_id": "A0TIGER",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{next(_ids):06d}",
        "event_time": int(time.time()),
        "authed_users": [bot_user_id],
        "authorizations": [
            {"team_id": team, "user_id": bot_user_id, "is_bot": True, "enterprise_id": None}
        ],
    }
    problems = event_wrapper_violations(body)
    assert not problems, problems
    return body


def reaction_event(kind: str, user: str, channel: str, ts: str, name: str) -> Json:
    return {
        "type": kind,
        "user": user,
        "reaction": name,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "item_user": "UBOT1",
        "event_ts": f"{time.time():.6f}",
    }


def message_event(user: str, channel: str, thread_ts: str | None = None, **extra: Any) -> Json:
    ts = f"{time.time():.6f}"
    event: Json = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": "a member's words, never stored",
        "ts": ts,
        "event_ts": ts,
        "channel_type": "channel",
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def slash_command(team: str, channel: str, user: str, text: str, response_url: str) -> Json:
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "team_domain": "testteam",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/tigerbird",
        "text": text,
        "api_app_id": "A0TIGER",
        "response_url": response_url,
        "trigger_id": f"trigger-{next(_ids)}",
    }


def block_action(
    team: str, user: str, channel: str, message_ts: str, action_id: str, value: str, url: str
) -> Json:
    return {
        "type": "block_actions",
        "team": {"id": team, "domain": "testteam"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A0TIGER",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
        "trigger_id": f"trigger-{next(_ids)}",
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": message_ts},
        "response_url": url,
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value}],
    }


def view_submission(team: str, user: str, view: Json, values: Json) -> Json:
    return {
        "type": "view_submission",
        "team": {"id": team, "domain": "testteam"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A0TIGER",
        "token": "legacy-verification-token",
        "trigger_id": f"trigger-{next(_ids)}",
        "view": {**view, "id": "V1", "team_id": team, "state": {"values": values}},
    }


def as_form(fields: Json) -> str:
    return urlencode(fields)


def as_interactive(payload: Json) -> str:
    return urlencode({"payload": json.dumps(payload)})
