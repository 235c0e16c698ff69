"""Bounds on what one pack, one file and one lint run may hold, so bad input fails clearly
instead of exhausting the machine (measurements: docs/prompts.md)."""

from __future__ import annotations

from pathlib import Path

from bot.library.errors import PackError

MAX_FILE_BYTES = 10_000_000
MAX_FILE_PROMPTS = 50_000
MAX_CHECKED_PROMPTS = 100_000  # drafts plus library in one near-duplicate pass


def file_too_large(path: Path) -> PackError | None:
    """An error if `path` is over MAX_FILE_BYTES (checked before it is read)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # reading it reports the problem
    if size <= MAX_FILE_BYTES:
        return None
    message = f"{size / 1e6:.1f} MB, at most {MAX_FILE_BYTES // 1_000_000} MB per file; split it"
    return PackError(str(path), 1, "file", message)


def too_many_prompts(path: str, line: int, count: int) -> PackError | None:
    if count <= MAX_FILE_PROMPTS:
        return None
    message = f"{count:,} prompts, at most {MAX_FILE_PROMPTS:,} per file; split it"
    return PackError(path, line, "prompts", message)
