"""Checking a prompt's `variants:` (other wordings of its question) in a pack or a CSV."""

from __future__ import annotations

from collections.abc import Sequence

from yaml.nodes import ScalarNode

from bot.core.wordings import MAX_VARIANTS, MAX_WORDINGS, wording_key
from bot.library.lint import lint_text
from bot.library.nodes import Fields, NodeReader, line_of


def variant_problems(text: str | None, variants: Sequence[str]) -> list[tuple[int | None, str]]:
    """Each problem of `variants` as (index, message); index None is about the whole list.

    A variant must pass every lint rule of severity error, like the main text, and differ
    from the text and from the other variants.
    """
    problems: list[tuple[int | None, str]] = []
    if len(variants) > MAX_VARIANTS:
        message = (
            f"{len(variants)} variants, at most {MAX_VARIANTS} "
            f"({MAX_WORDINGS} wordings with the text)"
        )
        problems.append((None, message))
    seen = {wording_key(text): "the text"} if text is not None else {}
    for index, variant in enumerate(variants):
        if not variant.strip():
            problems.append((index, "must not be empty"))
            continue
        for finding in lint_text(variant):
            if finding.severity == "error":
                problems.append((index, f"{finding.message} ({finding.rule_id})"))
        key = wording_key(variant)
        if key in seen:
            problems.append((index, f"same wording as {seen[key]}"))
        seen.setdefault(key, f"variants[{index}]")
    return problems


def read_variants(reader: NodeReader, fields: Fields, text: str | None) -> tuple[str, ...] | None:
    """The `variants:` list of a pack prompt (empty if absent); None after reporting errors."""
    if "variants" not in fields:
        return ()
    node = fields["variants"][1]
    items = reader.sequence(node, "variants")
    if items is None:
        return None
    before = len(reader.issues)
    variants: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, ScalarNode):
            reader.error(line_of(item), f"variants[{index}]", "must be a single line of text")
            variants.append("")
        else:
            variants.append("" if item.tag.endswith(":null") else str(item.value))
    for at, message in variant_problems(text, variants):
        if at is None:
            reader.error(line_of(node), "variants", message)
        elif isinstance(items[at], ScalarNode):
            reader.error(line_of(items[at]), f"variants[{at}]", message)
    return tuple(variants) if len(reader.issues) == before else None
