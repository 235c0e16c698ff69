"""The prompt library: packs, imports, the linter and near-duplicate detection (pure, no I/O
beyond reading the files it is given)."""

from bot.library.categories import CATEGORIES
from bot.library.errors import (
    LibraryError,
    PackError,
    PackLoadError,
    PromptsDirError,
    TooManyPrompts,
)
from bot.library.lint import RULES, LintFinding, Rule, Severity, lint_text
from bot.library.packs import Pack, load_pack, load_packs
from bot.library.readers import import_key, load_prompt_file
from bot.library.report import DraftFinding, LintReport, lint_drafts
from bot.library.similarity import DEFAULT_THRESHOLD, DuplicatePair, closest, near_duplicates
from bot.library.sources import Located, Sources, read_sources

__all__ = [
    "CATEGORIES",
    "DEFAULT_THRESHOLD",
    "RULES",
    "DraftFinding",
    "DuplicatePair",
    "LibraryError",
    "LintFinding",
    "LintReport",
    "Located",
    "Pack",
    "PackError",
    "PackLoadError",
    "PromptsDirError",
    "Rule",
    "Severity",
    "Sources",
    "TooManyPrompts",
    "closest",
    "import_key",
    "lint_drafts",
    "lint_text",
    "load_pack",
    "load_packs",
    "load_prompt_file",
    "near_duplicates",
    "read_sources",
]
