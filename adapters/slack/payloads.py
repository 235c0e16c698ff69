"""Reading the interactivity payloads Tigerbird sends itself (review buttons, the reject
form) back from Slack: anything Slack would never send raises Malformed, naming the field."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack import blocks

Payload = dict[str, Any]


class Malformed(ValueError):
    """A payload Slack would never send: refused with one warning, nothing done."""


def dict_of(value: object) -> Payload:
    return value if isinstance(value, dict) else {}


def field(body: Payload, *path: str) -> str:
    """A non-empty string at `path`, or Malformed naming the path."""
    value: object = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise Malformed(f"no {'.'.join(path)}")
    return value


def action_of(body: Payload) -> Payload:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        raise Malformed("no actions")
    found: Payload = actions[0]
    return found


def prompt_id_of(value: object) -> int:
    """Prompt ids travel as decimal strings (button values, modal metadata)."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(text, str) and text.isascii() and text.isdigit() and 0 < int(text) < 2**31:
        return int(text)
    raise Malformed("the prompt id is not a number")


def reject_form(view: Payload) -> tuple[dict[str, str], str]:
    """The reject modal's metadata (prompt id, review message) and the reason typed."""
    try:
        meta = json.loads(field(view, "private_metadata"))
    except ValueError as exc:
        raise Malformed("private_metadata is not JSON") from exc
    meta = dict_of(meta)
    channel, ts = meta.get("channel"), meta.get("ts")
    if not isinstance(channel, str) or not channel or not isinstance(ts, str | None):
        raise Malformed("private_metadata has no channel")
    prompt_id = prompt_id_of(meta.get("prompt_id"))
    values = dict_of(dict_of(view.get("state")).get("values"))
    reason = dict_of(dict_of(values.get(blocks.REASON_BLOCK)).get(blocks.REASON_INPUT)).get("value")
    if not isinstance(reason, str | None):
        raise Malformed("the reason is not text")
    return {"channel": channel, "ts": ts or "", "prompt_id": str(prompt_id)}, reason or ""
