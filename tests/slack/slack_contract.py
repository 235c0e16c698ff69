"""Checks Web API requests against Slack's published OpenAPI spec (tests/contracts).

A request the real Slack would reject for an unknown method, an unknown or mistyped
parameter, or a missing required one is reported as a violation.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from tests.contracts import contracts_dir

# Things the adapter legitimately uses that are newer than the 2021 spec. Every entry is
# named; anything else unknown is a violation.
NEWER_THAN_SPEC_METHODS: dict[str, set[str]] = {
    "apps.connections.open": set(),
    # Sign in with Slack (OpenID Connect), documented apart from the Web API spec
    "openid.connect.token": {
        "client_id", "client_secret", "code", "redirect_uri", "grant_type", "refresh_token",
        "code_verifier",
    },
    "openid.connect.userInfo": set(),
    "files.getUploadURLExternal": {"filename", "length", "alt_txt", "snippet_type"},
    "files.completeUploadExternal": {
        "files",
        "channel_id",
        "channels",
        "initial_comment",
        "thread_ts",
    },
}
NEWER_THAN_SPEC_PARAMS: dict[str, set[str]] = {
    "chat.postMessage": {"metadata"},
    "chat.update": {"metadata"},
    "conversations.history": {"include_all_metadata"},
}
# Bolt's per-request client sets `team_id` as a default parameter of every call (it routes
# calls of org-wide Enterprise Grid installs); Slack accepts it on any method.
ON_EVERY_METHOD = {"team_id"}
# The spec marks these optional parameters of the OAuth exchange as query-only; the SDK
# sends client credentials with HTTP Basic auth, which Slack documents as equivalent.
AUTH_PARAMS = {"token"}
STRUCTURED = {"blocks", "attachments", "metadata", "view", "files"}


@cache
def _spec() -> dict[str, Any]:
    path = contracts_dir() / "slack" / "web_api_openapi_v2.json"
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def _declared(method: str) -> dict[str, dict[str, Any]] | None:
    path = _spec()["paths"].get("/" + method)
    if path is None:
        return None
    params: dict[str, dict[str, Any]] = {}
    for operation in path.values():
        for param in operation.get("parameters", []):
            params[param["name"]] = param
    return params


def _type_error(name: str, value: Any, declared: str | None) -> str | None:
    if isinstance(value, (list, dict)):
        return None if name in STRUCTURED else f"{name}: structured value for {declared}"
    text = str(value).lower() if not isinstance(value, bool) else "true"
    if declared == "boolean" and text not in {"true", "false", "1", "0"}:
        return f"{name}: {value!r} is not a boolean"
    if declared == "integer" and not text.lstrip("-").isdigit():
        return f"{name}: {value!r} is not an integer"
    if declared == "number":
        try:
            float(text)
        except ValueError:
            return f"{name}: {value!r} is not a number"
    return None


def violations(method: str, params: dict[str, Any], has_token: bool) -> list[str]:
    """What is wrong with calling `method` with `params` (empty when the call is valid)."""
    if method in NEWER_THAN_SPEC_METHODS:
        allowed = NEWER_THAN_SPEC_METHODS[method] | AUTH_PARAMS | ON_EVERY_METHOD
        return [f"{method}: unknown parameter {p}" for p in params if p not in allowed]
    declared = _declared(method)
    if declared is None:
        return [f"unknown method {method}"]
    extra = NEWER_THAN_SPEC_PARAMS.get(method, set()) | ON_EVERY_METHOD
    problems: list[str] = []
    for name, value in params.items():
        if name in extra:
            continue
        if name not in declared:
            problems.append(f"{method}: unknown parameter {name}")
            continue
        error = _type_error(name, value, declared[name].get("type"))
        if error:
            problems.append(f"{method}: {error}")
    for name, param in declared.items():
        if not param.get("required") or name in params:
            continue
        if name == "token" and has_token:
            continue
        problems.append(f"{method}: missing required parameter {name}")
    return problems


def event_wrapper_violations(body: dict[str, Any]) -> list[str]:
    """What is wrong with an Events API callback, per Slack's event wrapper schema."""
    import jsonschema

    path = contracts_dir() / "slack" / "event_wrapper_schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [error.message for error in validator.iter_errors(body)]
