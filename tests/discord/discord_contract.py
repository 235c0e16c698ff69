"""Checks each REST request against Discord's published OpenAPI spec.

The spec leaves request objects open (no `additionalProperties: false`), but Discord
rejects unknown fields, so every object schema with `properties` is closed here with
`unevaluatedProperties: false` (2020-12 semantics keep `allOf` compositions working).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.contracts import contracts_dir

SPEC_URI = "urn:discord-openapi"


# Named exceptions: fields the real client sends that the spec does not list.
KNOWN_EXTRA_FIELDS = {
    # discord.py 2.7's Embed.to_dict() always includes `flags` (0); Discord accepts and
    # ignores it on create, and the spec only documents embed flags on received messages.
    ("RichEmbed", "flags"): {"type": ["integer", "null"]},
    # app_commands always sends `nsfw` (Discord's docs list it for commands; the spec omits it).
    ("ApplicationCommandUpdateRequest", "nsfw"): {"type": ["boolean", "null"]},
    ("ApplicationCommandCreateRequest", "nsfw"): {"type": ["boolean", "null"]},
}


def _allow_known_extras(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    # discord.py serialises snowflakes as JSON integers (e.g. AllowedMentions.roles); Discord
    # parses both forms, the spec only documents the string one.
    snowflake = schemas["SnowflakeType"]
    schemas["SnowflakeType"] = {"anyOf": [snowflake, {"type": "integer", "minimum": 0}]}
    for (schema, name), definition in KNOWN_EXTRA_FIELDS.items():
        schemas[schema]["properties"][name] = definition


def _close_objects(node: Any, inside_allof: bool = False) -> Any:
    if isinstance(node, list):
        return [_close_objects(item, inside_allof) for item in node]
    if not isinstance(node, dict):
        return node
    closed = {
        key: _close_objects(value, inside_allof=(key == "allOf")) for key, value in node.items()
    }
    is_open_object = "properties" in closed and "additionalProperties" not in closed
    if is_open_object and not inside_allof:
        closed["unevaluatedProperties"] = False
    if "allOf" in closed and "unevaluatedProperties" not in closed:
        closed["unevaluatedProperties"] = False
    return closed


@dataclass(frozen=True)
class Operation:
    template: str
    method: str
    spec: dict[str, Any]
    pattern: re.Pattern[str]


class ContractChecker:
    """Finds the operation for a request and lists every way the request breaks the spec."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._spec = spec
        patched = copy.deepcopy(spec)
        _allow_known_extras(patched)
        closed = _close_objects(patched)
        resource = Resource.from_contents(closed, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._operations: list[Operation] = []
        for template, item in spec["paths"].items():
            regex = "^" + re.sub(r"\\\{[^/}]+\\\}", "[^/]+", re.escape(template)) + "$"
            for method, op in item.items():
                if method == "parameters":
                    continue
                op = dict(op)
                op["parameters"] = item.get("parameters", []) + op.get("parameters", [])
                self._operations.append(Operation(template, method.upper(), op, re.compile(regex)))
        # literal segments (e.g. /@me, /pins) beat {placeholders}
        self._operations.sort(key=lambda o: o.template.count("{"))

    def match(self, method: str, path: str) -> Operation | None:
        for op in self._operations:
            if op.method == method and op.pattern.match(path):
                return op
        return None

    def route_exists(self, path: str) -> bool:
        return any(op.pattern.match(path) for op in self._operations)

    def check(
        self, method: str, path: str, query: dict[str, str], body: Any | None
    ) -> tuple[Operation | None, list[str]]:
        """The matched operation and the list of violations (empty when valid)."""
        op = self.match(method, path)
        if op is None:
            kind = "method" if self.route_exists(path) else "route"
            return None, [f"unknown {kind}: {method} {path}"]
        problems: list[str] = []
        known_query = {p["name"] for p in op.spec["parameters"] if p.get("in") == "query"}
        problems += [
            f"unknown query parameter {q!r} for {op.template}"
            for q in query
            if q not in known_query
        ]
        if body is not None:
            problems += self._check_body(op, body)
        return op, problems

    def _check_body(self, op: Operation, body: Any) -> list[str]:
        content = op.spec.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return [f"{op.method} {op.template} takes no JSON body"]
        escaped = op.template.replace("~", "~0").replace("/", "~1")
        pointer = (
            f"{SPEC_URI}#/paths/{escaped}/{op.method.lower()}"
            "/requestBody/content/application~1json/schema"
        )
        validator = Draft202012Validator({"$ref": pointer}, registry=self._registry)
        return [
            f"{op.method} {op.template}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(body)
        ]


@cache
def discord_checker() -> ContractChecker:
    """The checker for Discord's REST API v10 (loaded once per test session)."""
    path = contracts_dir() / "discord" / "openapi.json"
    return ContractChecker(json.loads(path.read_text(encoding="utf-8")))
