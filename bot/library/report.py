"""Linting a batch of drafts: per-prompt rules plus near-duplicates within and against a library."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.core.domain import Prompt, PromptDraft
from bot.library.errors import TooManyPrompts
from bot.library.limits import MAX_CHECKED_PROMPTS
from bot.library.lint import RULES, LintFinding, lint_text
from bot.library.similarity import DEFAULT_THRESHOLD, DuplicatePair, near_duplicates


@dataclass(frozen=True)
class DraftFinding:
    """A lint finding about the draft with key `key`."""

    key: str
    text: str
    finding: LintFinding

    def __str__(self) -> str:
        return f"{self.key}: {self.finding.rule_id}: {self.finding.message}"


@dataclass(frozen=True)
class LintReport:
    """Everything the linter found in one batch; `ok` means no errors (warnings allowed)."""

    findings: tuple[DraftFinding, ...]
    duplicates: tuple[DuplicatePair, ...]

    @property
    def errors(self) -> list[DraftFinding]:
        return [f for f in self.findings if f.finding.severity == "error"]

    @property
    def warnings(self) -> list[DraftFinding]:
        return [f for f in self.findings if f.finding.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


Progress = Callable[[str, int, int], None]
_VARIANT_MARK = "#"
_EVERY = 500


def lint_drafts(
    drafts: Sequence[PromptDraft],
    library: Sequence[tuple[str, str]] = (),
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
) -> LintReport:
    """Lint every draft, and flag drafts too similar to each other or to `library` (key, text).

    A library entry with the same key as a draft is that draft's stored version (a pack
    being re-synced) and is not compared with it. A draft's variants are checked against
    every other prompt but never against the wordings of their own prompt. More than
    MAX_CHECKED_PROMPTS drafts and library prompts together raise TooManyPrompts before any
    work. `progress(stage, done,
    total)` reports the two passes, "rules" and "near-duplicates".
    """
    draft_keys = {d.key for d in drafts}
    others = [(key, text) for key, text in library if prompt_key(key) not in draft_keys]
    items = [item for d in drafts for item in wording_items(d.key, d.text, d.variants)] + others
    if len(items) > MAX_CHECKED_PROMPTS:
        raise TooManyPrompts(
            f"near-duplicate check: {len(items):,} prompts (drafts and library) in one run, "
            f"at most {MAX_CHECKED_PROMPTS:,}; check fewer files at once"
        )
    findings: list[DraftFinding] = []
    for done, d in enumerate(drafts):
        if progress is not None and done % _EVERY == 0:
            progress("rules", done, len(drafts))
        for text in (d.text, *d.variants):
            findings += [DraftFinding(d.key, text, f) for f in lint_text(text)]
    if progress is not None:
        progress("rules", len(drafts), len(drafts))
    on_pairs = None if progress is None else _stage(progress, "near-duplicates")
    duplicates = [
        pair
        for pair in near_duplicates(items, threshold, on_pairs)
        if prompt_key(pair.first_key) != prompt_key(pair.second_key)
        and (prompt_key(pair.first_key) in draft_keys or prompt_key(pair.second_key) in draft_keys)
    ]
    rule = RULES["near-duplicate"]
    for pair in duplicates:
        # Report on the draft; if both are drafts, on the later one.
        key, text = (pair.second_key, pair.second_text)
        other_key, other_text = (pair.first_key, pair.first_text)
        if prompt_key(key) not in draft_keys:
            key, text, other_key, other_text = other_key, other_text, key, text
        message = f"{pair.similarity:.2f} similar to {other_key}: {other_text!r}"
        finding = LintFinding(rule.id, rule.severity, message)
        findings.append(DraftFinding(prompt_key(key), text, finding))
    return LintReport(tuple(findings), tuple(duplicates))


def wording_items(key: str, text: str, variants: Sequence[str] = ()) -> list[tuple[str, str]]:
    """A prompt's wordings as (key, text) items for the near-duplicate check: the text under
    `key`, each variant under `key#2`, `key#3` (wordings of one prompt are never compared)."""
    return [(key, text)] + [(f"{key}{_VARIANT_MARK}{n}", v) for n, v in enumerate(variants, 2)]


def library_items(prompts: Iterable[Prompt]) -> list[tuple[str, str]]:
    """Every wording of every stored prompt, as `lint_drafts` takes its library."""
    return [item for p in prompts for item in wording_items(p.key, p.text, p.variants)]


def prompt_key(item_key: str) -> str:
    """The prompt a near-duplicate item belongs to (a variant's item names its prompt)."""
    return item_key.split(_VARIANT_MARK, 1)[0]


def _stage(progress: Progress, stage: str) -> Callable[[int, int], None]:
    return lambda done, total: progress(stage, done, total)
