"""Reading what `prompts lint` and `prompts import` are given: files and folders of packs,
each prompt with the file and line it came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.domain import PromptDraft
from bot.library.errors import PackError, PackLoadError
from bot.library.packs import load_packs, pack_files
from bot.library.readers import load_located


@dataclass(frozen=True)
class Located:
    """A draft and where it starts."""

    draft: PromptDraft
    path: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Sources:
    """The prompts read, how many files were read, and every problem found."""

    prompts: list[Located] = field(default_factory=list)
    files: int = 0
    issues: list[PackError] = field(default_factory=list)

    @property
    def drafts(self) -> list[PromptDraft]:
        return [p.draft for p in self.prompts]


def read_sources(
    paths: Sequence[Path],
    category: str | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> Sources:
    """Read every file and folder; a folder is read as a directory of packs (`*.yaml`,
    `*.yml`, pack ids unique). The same key in two places is an error naming both."""
    sources = Sources()
    for path in paths:
        if path.is_dir():
            _read_folder(path, sources, on_file)
        else:
            _read_file(path, category, sources)
            if on_file is not None:
                on_file(path)
    _check_keys(sources)
    return sources


def _read_folder(path: Path, sources: Sources, on_file: Callable[[Path], None] | None) -> None:
    files = pack_files(path)
    if not files:
        sources.issues.append(PackError(str(path), 0, "folder", "holds no .yaml or .yml pack"))
        return
    sources.files += len(files)
    try:
        packs = load_packs(path)
    except PackLoadError as exc:
        sources.issues.extend(exc.issues)
        return
    for pack in packs:
        for draft, line in zip(pack.drafts, pack.lines, strict=True):
            sources.prompts.append(Located(draft, str(pack.path), line))
        if on_file is not None:
            on_file(pack.path)


def _read_file(path: Path, category: str | None, sources: Sources) -> None:
    sources.files += 1
    try:
        located = load_located(path, category)
    except PackLoadError as exc:
        sources.issues.extend(exc.issues)
        return
    sources.prompts.extend(Located(draft, str(path), line) for draft, line in located)


def _check_keys(sources: Sources) -> None:
    first: dict[str, Located] = {}
    kept: list[Located] = []
    for prompt in sources.prompts:
        seen = first.get(prompt.draft.key)
        if seen is None:
            first[prompt.draft.key] = prompt
            kept.append(prompt)
            continue
        same = "the same text" if seen.draft.text == prompt.draft.text else "other text"
        field_name = "id" if prompt.draft.pack else "text"
        message = f"'{prompt.draft.key}' is also at {seen.where}, with {same}"
        sources.issues.append(PackError(prompt.path, prompt.line, field_name, message))
    sources.prompts = kept
