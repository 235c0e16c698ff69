"""Reading prompts to import: a YAML pack, a CSV (text, category, tags, variants) or plain
text."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from bot.core.domain import PromptDraft
from bot.library.categories import CATEGORIES
from bot.library.errors import PackError, PackLoadError
from bot.library.export import VARIANT_SEPARATOR
from bot.library.limits import file_too_large, too_many_prompts
from bot.library.lint import lint_text
from bot.library.packs import load_pack
from bot.library.variants import variant_problems

_TAG_SPLIT = re.compile(r"[;,]")
_SLUG_WORDS = re.compile(r"[a-z0-9]+")
_SLUG_WORD_LIMIT = 8


def import_key(text: str) -> str:
    """A stable key for an imported prompt: a slug of its first words and a short hash."""
    words = _SLUG_WORDS.findall(re.sub(r"['’]", "", text.lower()))[:_SLUG_WORD_LIMIT]
    digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:8]
    return f"import/{'-'.join(words)}-{digest}" if words else f"import/{digest}"


def load_prompt_file(path: Path, category: str | None = None) -> list[PromptDraft]:
    """Drafts from a .yaml/.yml pack, a .csv or a .txt file (one prompt per line).

    `category` is required for .txt and fills empty CSV categories. Surrounding whitespace
    of CSV and text entries is trimmed. Raises PackLoadError listing every problem.
    """
    return [draft for draft, _ in load_located(path, category)]


def load_located(path: Path, category: str | None = None) -> list[tuple[PromptDraft, int]]:
    """Like `load_prompt_file`, each draft with the line where it starts; a file without
    any prompt is an error."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        pack = load_pack(path)
        return list(zip(pack.drafts, pack.lines, strict=True))
    label = str(path)
    too_large = file_too_large(path)
    if too_large is not None:
        raise PackLoadError([too_large])
    if category is not None and category not in CATEGORIES:
        raise PackLoadError([_unknown_category(label, 1, category)])
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackLoadError([PackError(label, 1, "file", f"cannot read: {exc}")]) from exc
    if suffix == ".csv":
        rows = _csv_rows(label, content, category)
    elif suffix == ".txt":
        rows = _text_rows(label, content, category)
    else:
        message = f"unsupported file type '{suffix}' (use .yaml, .yml, .csv or .txt)"
        raise PackLoadError([PackError(label, 1, "file", message)])
    if not rows:
        empty = "the file is empty" if not content.strip() else "no prompts in this file"
        raise PackLoadError([PackError(label, 1, "file", empty)])
    too_many = too_many_prompts(label, 1, len(rows))
    if too_many is not None:
        raise PackLoadError([too_many])
    return _to_drafts(label, rows)


_Row = tuple[
    int, str, str, tuple[str, ...], tuple[str, ...]
]  # line, text, category, tags, variants


def _csv_rows(label: str, content: str, default: str | None) -> list[_Row]:
    if not content.strip():
        return []
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = [name.strip().lower() for name in reader.fieldnames or []]
    if "text" not in columns:
        found = ", ".join(columns) or "none"
        message = f"the header needs a 'text' column (and category, tags); found: {found}"
        raise PackLoadError([PackError(label, 1, "header", message)])
    reader.fieldnames = columns
    rows: list[_Row] = []
    start = reader.line_num + 1
    for record in reader:
        text = (record.get("text") or "").strip()
        category = (record.get("category") or "").strip() or (default or "")
        raw_tags = _TAG_SPLIT.split(record.get("tags") or "")
        tags = tuple("-".join(t.lower().split()) for t in raw_tags)
        cell = (record.get("variants") or "").strip()
        variants = tuple(v.strip() for v in cell.split(VARIANT_SEPARATOR.strip())) if cell else ()
        rows.append((start, text, category, tuple(t for t in tags if t), variants))
        start = reader.line_num + 1
    return rows


def _text_rows(label: str, content: str, category: str | None) -> list[_Row]:
    if category is None:
        message = "plain-text imports need a category (--category)"
        raise PackLoadError([PackError(label, 1, "category", message)])
    return [
        (number, line.strip(), category, (), ())
        for number, line in enumerate(content.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _unknown_category(label: str, line: int, category: str) -> PackError:
    allowed = ", ".join(CATEGORIES)
    message = f"unknown category '{category}' (allowed: {allowed})"
    return PackError(label, line, "category", message)


def _to_drafts(label: str, rows: list[_Row]) -> list[tuple[PromptDraft, int]]:
    issues: list[PackError] = []
    drafts: list[tuple[PromptDraft, int]] = []
    first_line: dict[str, int] = {}
    for line, text, category, tags, variants in rows:
        for finding in lint_text(text):
            if finding.severity == "error":
                message = f"{finding.message} ({finding.rule_id})"
                issues.append(PackError(label, line, "text", message))
        for index, message in variant_problems(text, variants):
            field = "variants" if index is None else f"variants[{index}]"
            issues.append(PackError(label, line, field, message))
        if not category:
            issues.append(PackError(label, line, "category", "required field is missing"))
        elif category not in CATEGORIES:
            issues.append(_unknown_category(label, line, category))
        key = import_key(text)
        if key in first_line:
            message = f"same prompt as line {first_line[key]}"
            issues.append(PackError(label, line, "text", message))
            continue
        first_line[key] = line
        drafts.append((PromptDraft(key, text, category, tags, variants=variants), line))
    if issues:
        raise PackLoadError(issues)
    return drafts
