"""Block Kit layouts and safe text for Tigerbird's Slack messages."""

from __future__ import annotations

import json
from typing import Any

from bot.chat.mentions import SLACK_USER_GROUP
from bot.core.ports import PromptMessage

Block = dict[str, Any]

PROMPT_EVENT_TYPE = "tigerbird_prompt"
APPROVE_ACTION = "tigerbird_approve"
REJECT_ACTION = "tigerbird_reject"
REJECT_VIEW = "tigerbird_reject_reason"
REASON_BLOCK = "reason"
REASON_INPUT = "reason_input"
_SECTION_LIMIT = 3000


def escape(text: str) -> str:
    """Escape &, < and > so Slack shows them literally (no links, no mentions)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text[:_SECTION_LIMIT]}


def prompt_text(message: PromptMessage) -> str:
    """Plain-text fallback (notifications, screen readers); the role ping goes first."""
    return _ping(message.ping_role) + escape(message.text)


def _ping(role: str | None) -> str:
    # Only a user group is ever pinged: never @here/@channel/@everyone, whatever is stored.
    if not role or not SLACK_USER_GROUP.fullmatch(role):
        return ""
    return f"<!subteam^{role}> "


def prompt_blocks(message: PromptMessage) -> list[Block]:
    """The prompt as a section, its category and how to answer as context."""
    context = f"*{escape(message.category)}*" if message.category else ""
    if message.open_thread:
        hint = escape(message.thread_title) if message.thread_title else "Answer in the thread"
        context = f"{context} · {hint}" if context else hint
    if message.choices:
        options = "  ".join(f"{c.emoji} {escape(c.label)}" for c in message.choices)
        context = f"{context} · React: {options}" if context else f"React: {options}"
    blocks: list[Block] = [{"type": "section", "text": _mrkdwn(prompt_text(message))}]
    if context:
        blocks.append({"type": "context", "elements": [_mrkdwn(context)]})
    return blocks


def prompt_metadata(marker: str) -> dict[str, Any]:
    """Message metadata that lets find_post recognise the slot after a crash."""
    return {"event_type": PROMPT_EVENT_TYPE, "event_payload": {"marker": marker}}


def review_blocks(
    prompt_id: int,
    text: str,
    category: str,
    suggested_by: str,
    closest: str | None,
    findings: tuple[str, ...],
) -> list[Block]:
    """A member's suggestion with Approve / Reject buttons for the managers."""
    who = f"<@{suggested_by}>" if suggested_by else "A member (anonymous)"
    lines = [f"{who} suggested a prompt for *{escape(category)}*:", f"> {escape(text)}"]
    if closest:
        lines.append(f"Closest existing prompt: _{escape(closest)}_")
    lines.extend(f"⚠️ {escape(finding)}" for finding in findings)
    value = str(prompt_id)
    return [
        {"type": "section", "text": _mrkdwn("\n".join(lines))},
        {
            "type": "actions",
            "block_id": f"review-{prompt_id}",
            "elements": [
                _button("Approve", APPROVE_ACTION, value, "primary"),
                _button("Reject", REJECT_ACTION, value, "danger"),
            ],
        },
    ]


def _button(label: str, action_id: str, value: str, style: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
        "style": style,
    }


def decided_blocks(text: str) -> list[Block]:
    """What a review message becomes once a manager decided (no buttons left)."""
    return [{"type": "section", "text": _mrkdwn(escape(text))}]


def reject_modal(prompt_id: int, channel: str, message_ts: str) -> dict[str, Any]:
    """The modal asking a manager why a suggestion is rejected."""
    meta = json.dumps({"prompt_id": prompt_id, "channel": channel, "ts": message_ts})
    return {
        "type": "modal",
        "callback_id": REJECT_VIEW,
        "private_metadata": meta,
        "title": {"type": "plain_text", "text": "Reject suggestion"},
        "submit": {"type": "plain_text", "text": "Reject"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": {"type": "plain_text", "text": "Reason (sent to the member)"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_INPUT,
                    "multiline": True,
                    "max_length": 500,
                },
            }
        ],
    }
