"""Reading a composed YAML tree while collecting errors with their line numbers."""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.library.errors import PackError

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
Fields = dict[str, tuple[Node, Node]]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


class NodeReader:
    """Typed access to YAML nodes; every problem becomes a PackError on `issues`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.issues: list[PackError] = []

    def error(self, line: int, field: str, message: str) -> None:
        self.issues.append(PackError(self.path, line, field, message))

    def compose(self, text: str) -> Node | None:
        """The node tree of `text`; a file with an anchor or alias is refused before any
        node is built (an alias bomb would expand exponentially)."""
        try:
            for event in yaml.parse(text, Loader=_Loader):
                anchor = getattr(event, "anchor", None)
                if anchor is not None:
                    sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                    mark = event.start_mark
                    line = int(mark.line) + 1 if mark is not None else 1
                    self.error(line, "yaml", f"aliases are not allowed in packs ({sign}{anchor})")
                    return None
            return yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = int(mark.line) + 1 if mark is not None else 1
            self.error(line, "yaml", str(exc.problem or exc.context or "invalid YAML"))
        except yaml.YAMLError as exc:
            self.error(1, "yaml", str(exc))
        return None

    def mapping(
        self, node: Node, field: str, allowed: frozenset[str], key_prefix: str | None = None
    ) -> Fields | None:
        """The key → (key node, value node) of a mapping; unknown or repeated keys are errors.

        Keys are reported as `<key_prefix>.<key>` (`key_prefix` defaults to `field`).
        """
        prefix = field if key_prefix is None else key_prefix
        if not isinstance(node, MappingNode):
            self.error(line_of(node), field, "must be a mapping of field: value")
            return None
        fields: Fields = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
            label = f"{prefix}.{key}" if prefix else key
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.error(line_of(key_node), label, f"unknown field (expected: {expected})")
            elif key in fields:
                first = line_of(fields[key][0])
                self.error(line_of(key_node), label, f"given twice (first on line {first})")
            else:
                fields[key] = (key_node, value_node)
        return fields

    def string(self, fields: Fields, key: str, owner: Node, label: str) -> str | None:
        """A required non-empty scalar, kept as written (unquoted `yes` stays "yes")."""
        if key not in fields:
            self.error(line_of(owner), label, "required field is missing")
            return None
        node = fields[key][1]
        if not isinstance(node, ScalarNode):
            self.error(line_of(node), label, "must be a single line of text")
            return None
        value = "" if node.tag.endswith(":null") else str(node.value)
        if not value.strip():
            self.error(line_of(node), label, "must not be empty")
            return None
        return value

    def slug(self, fields: Fields, key: str, owner: Node, label: str) -> str | None:
        value = self.string(fields, key, owner, label)
        if value is not None and not SLUG.match(value):
            line = line_of(fields[key][1])
            self.error(line, label, f"'{value}' must be lower-case letters, digits and '-'")
            return None
        return value

    def sequence(self, node: Node, label: str) -> list[Node] | None:
        if isinstance(node, ScalarNode) and node.value in ("", "~", "null"):
            return []
        if not isinstance(node, SequenceNode):
            self.error(line_of(node), label, "must be a list")
            return None
        return list(node.value)
