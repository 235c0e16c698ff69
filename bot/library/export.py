"""A library as a file again: a YAML pack (which `prompts import` and the packs folder read back)
or a CSV of text, category and tags. Machine formats: the text goes out raw, nothing escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import yaml

from bot.core.domain import Prompt

EXPORT_FORMATS = ("yaml", "csv")
VARIANT_SEPARATOR = " | "  # between the wordings of a CSV `variants` cell
UNWRAPPED = 1_000_000  # YAML line width: a prompt stays on one line


def export_text(prompts: Sequence[Prompt], format: str) -> str:
    """The prompts as a YAML pack (`format` "yaml") or a CSV (`format` "csv")."""
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["text", "category", "tags", "variants"])
        for p in prompts:
            writer.writerow(
                [p.text, p.category, ";".join(p.tags), VARIANT_SEPARATOR.join(p.variants)]
            )
        return buffer.getvalue()
    if format != "yaml":
        raise ValueError(f"format: '{format}' is not one of {', '.join(EXPORT_FORMATS)}")
    pack = {
        "pack": {
            "id": "export",
            "name": "Export",
            "description": "Exported library",
            "language": "en",
            "license": "CC-BY-4.0",
        },
        "prompts": [_pack_entry(p) for p in prompts],
    }
    return str(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False, width=UNWRAPPED))


def _pack_entry(p: Prompt) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": f"p{p.id}",
        "text": p.text,
        "category": p.category,
        "tags": list(p.tags),
    }
    if p.choices:
        entry["choices"] = [{"emoji": c.emoji, "label": c.label} for c in p.choices]
    if p.variants:
        entry["variants"] = list(p.variants)
    return entry
