"""Loading prompt packs (`prompts/<pack>.yaml`): all or nothing, every error with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from bot.core.domain import Choice, PromptDraft
from bot.library.categories import CATEGORIES
from bot.library.emoji import is_emoji
from bot.library.errors import PackError, PackLoadError
from bot.library.limits import file_too_large, too_many_prompts
from bot.library.lint import lint_text
from bot.library.nodes import SLUG, Fields, NodeReader, line_of
from bot.library.variants import read_variants

MAX_CHOICES = 4
MAX_LABEL = 40
_TOP_FIELDS = frozenset({"pack", "prompts"})
_PACK_FIELDS = frozenset({"id", "name", "description", "language", "license"})
_PROMPT_FIELDS = frozenset({"id", "text", "category", "tags", "choices", "variants"})
_CHOICE_FIELDS = frozenset({"emoji", "label"})
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Pack:
    """A validated pack: its metadata and its prompts as drafts keyed `<pack id>/<prompt id>`;
    `lines[i]` is the line where `drafts[i]` starts."""

    id: str
    name: str
    description: str
    language: str
    license: str
    path: Path
    drafts: tuple[PromptDraft, ...]
    lines: tuple[int, ...] = ()


def load_pack(path: Path) -> Pack:
    """Load and validate one pack; raise PackLoadError listing every problem found."""
    reader = NodeReader(str(path))
    too_large = file_too_large(path)
    if too_large is not None:
        raise PackLoadError([too_large])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackLoadError([PackError(str(path), 1, "file", f"cannot read: {exc}")]) from exc
    pack = _read_pack(reader, path, text)
    if reader.issues or pack is None:
        raise PackLoadError(reader.issues)
    return pack


def pack_files(directory: Path) -> list[Path]:
    """The `*.yaml` and `*.yml` files in `directory`, sorted by name."""
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def load_packs(directory: Path) -> list[Pack]:
    """Load every pack in `directory` (sorted by name); pack ids must be unique."""
    packs: list[Pack] = []
    issues: list[PackError] = []
    seen: dict[str, Path] = {}
    for path in pack_files(directory):
        try:
            pack = load_pack(path)
        except PackLoadError as exc:
            issues.extend(exc.issues)
            continue
        if pack.id in seen:
            first = f"{seen[pack.id]}:{_pack_id_line(seen[pack.id])}"
            message = f"'{pack.id}' also used by {first}"
            issues.append(PackError(str(path), _pack_id_line(path), "pack.id", message))
        seen.setdefault(pack.id, path)
        packs.append(pack)
    if issues:
        raise PackLoadError(issues)
    return packs


def _pack_id_line(path: Path) -> int:
    """The line of `pack: id:` in a file that already loaded once (so it is valid)."""
    root = NodeReader(str(path)).compose(path.read_text(encoding="utf-8"))
    for key, value in root.value if isinstance(root, MappingNode) else ():
        if key.value == "pack" and isinstance(value, MappingNode):
            for field, field_value in value.value:
                if field.value == "id":
                    return line_of(field_value)
    return 1


def _read_pack(reader: NodeReader, path: Path, text: str) -> Pack | None:
    root = reader.compose(text)
    if root is None:
        if not reader.issues:
            reader.error(1, "pack", "the file is empty")
        return None
    if not isinstance(root, MappingNode):
        reader.error(line_of(root), "file", "must be a mapping with 'pack' and 'prompts'")
        return None
    top = reader.mapping(root, "", _TOP_FIELDS)
    if top is None:
        return None
    if "pack" not in top:
        reader.error(line_of(root), "pack", "required field is missing")
    meta = _read_meta(reader, top["pack"][1]) if "pack" in top else None
    if "prompts" not in top:
        reader.error(line_of(root), "prompts", "required field is missing")
        return None
    prompts = _read_prompts(reader, top["prompts"][1], meta["id"] if meta else "")
    if meta is None or prompts is None:
        return None
    drafts, lines = prompts
    return Pack(drafts=drafts, lines=lines, path=path, **meta)


def _read_meta(reader: NodeReader, node: Node) -> dict[str, str] | None:
    fields = reader.mapping(node, "pack", _PACK_FIELDS)
    if fields is None:
        return None
    meta = {
        "id": reader.slug(fields, "id", node, "pack.id"),
        "name": reader.string(fields, "name", node, "pack.name"),
        "description": reader.string(fields, "description", node, "pack.description"),
        "language": reader.string(fields, "language", node, "pack.language"),
        "license": reader.string(fields, "license", node, "pack.license"),
    }
    language = meta["language"]
    if language is not None and not _LANGUAGE.match(language):
        line = line_of(fields["language"][1])
        reader.error(line, "pack.language", f"'{language}' is not a language tag such as 'en'")
    complete = {key: value for key, value in meta.items() if value is not None}
    return complete if len(complete) == len(meta) else None


def _read_prompts(
    reader: NodeReader, node: Node, pack_id: str
) -> tuple[tuple[PromptDraft, ...], tuple[int, ...]] | None:
    items = reader.sequence(node, "prompts")
    if items is None:
        return None
    if not items:
        reader.error(line_of(node), "prompts", "a pack needs at least one prompt")
    too_many = too_many_prompts(reader.path, line_of(node), len(items))
    if too_many is not None:
        reader.issues.append(too_many)
        return None
    before = len(reader.issues)
    drafts: list[PromptDraft] = []
    lines: list[int] = []
    first_line: dict[str, int] = {}
    for index, item in enumerate(items):
        id_node = _id_node(item)
        if id_node is not None and id_node.value in first_line:
            prompt_id = id_node.value
            message = f"prompt id '{prompt_id}' used twice (first on line {first_line[prompt_id]})"
            reader.error(line_of(id_node), "id", message)
        elif id_node is not None:
            first_line[id_node.value] = line_of(id_node)
        draft = _read_prompt(reader, item, f"prompts[{index}]", pack_id)
        if draft is not None:
            drafts.append(draft)
            lines.append(line_of(item))
    return (tuple(drafts), tuple(lines)) if len(reader.issues) == before else None


def _id_node(item: Node) -> ScalarNode | None:
    if isinstance(item, MappingNode):
        for key, value in item.value:
            if key.value == "id" and isinstance(value, ScalarNode):
                return value
    return None


def _read_prompt(reader: NodeReader, node: Node, field: str, pack_id: str) -> PromptDraft | None:
    fields = reader.mapping(node, field, _PROMPT_FIELDS, key_prefix="")
    if fields is None:
        return None
    before = len(reader.issues)
    prompt_id = reader.slug(fields, "id", node, "id")
    text = reader.string(fields, "text", node, "text")
    if text is not None:
        _lint(reader, text, line_of(fields["text"][1]), "text")
    category = reader.string(fields, "category", node, "category")
    if category is not None and category not in CATEGORIES:
        allowed = ", ".join(CATEGORIES)
        message = f"unknown category '{category}' (allowed: {allowed})"
        reader.error(line_of(fields["category"][1]), "category", message)
    tags = _read_tags(reader, fields)
    choices = _read_choices(reader, fields)
    variants = read_variants(reader, fields, text)
    if len(reader.issues) > before:
        return None
    if prompt_id is None or text is None or category is None or tags is None or choices is None:
        return None
    key = f"{pack_id}/{prompt_id}"
    return PromptDraft(key, text, category, tags, choices, pack_id or None, variants or ())


def _lint(reader: NodeReader, text: str, line: int, field: str) -> None:
    for finding in lint_text(text):
        if finding.severity == "error":
            reader.error(line, field, f"{finding.message} ({finding.rule_id})")


def _read_tags(reader: NodeReader, fields: Fields) -> tuple[str, ...] | None:
    if "tags" not in fields:
        return ()
    items = reader.sequence(fields["tags"][1], "tags")
    if items is None:
        return None
    tags: list[str] = []
    for index, item in enumerate(items):
        value = item.value if isinstance(item, ScalarNode) else "?"
        if not isinstance(item, ScalarNode) or not SLUG.match(value):
            message = f"tag '{value}' must be lower-case letters, digits and '-'"
            reader.error(line_of(item), f"tags[{index}]", message)
        else:
            tags.append(value)
    return tuple(tags) if len(tags) == len(items) else None


def _read_choices(reader: NodeReader, fields: Fields) -> tuple[Choice, ...] | None:
    if "choices" not in fields:
        return ()
    items = reader.sequence(fields["choices"][1], "choices")
    if items is None:
        return None
    if len(items) == 1:
        reader.error(line_of(fields["choices"][1]), "choices", "give 2 to 4 choices, not 1")
    choices: list[Choice] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        label = f"choices[{index}]"
        if index == MAX_CHOICES:
            reader.error(line_of(item), label, f"more than {MAX_CHOICES} choices ({len(items)})")
        choice_fields = reader.mapping(item, label, _CHOICE_FIELDS)
        if choice_fields is None:
            continue
        emoji = reader.string(choice_fields, "emoji", item, f"{label}.emoji")
        name = reader.string(choice_fields, "label", item, f"{label}.label")
        if emoji is None or name is None:
            continue
        line = line_of(choice_fields["emoji"][1])
        if not is_emoji(emoji):
            reader.error(line, label, f"emoji '{emoji}' is not a single emoji")
        elif emoji in seen:
            reader.error(line, label, f"emoji '{emoji}' used twice")
        if len(name) > MAX_LABEL:
            line = line_of(choice_fields["label"][1])
            reader.error(line, label, f"label is {len(name)} characters, at most {MAX_LABEL}")
        seen.setdefault(emoji, index)
        choices.append(Choice(emoji, name))
    return tuple(choices) if len(choices) == len(items) else None
