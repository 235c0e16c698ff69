"""Load errors that name the file, the line and the field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PackError:
    """One problem in a prompt file, printed as `path:line: field: message` (line 0: none)."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}"


class LibraryError(Exception):
    """The prompt library cannot be read; `one_line()` is what a command prints."""

    def one_line(self) -> str:
        return str(self)


class PackLoadError(LibraryError):
    """A prompt file (or directory of packs) failed to load; `issues` lists every problem."""

    def __init__(self, issues: Iterable[PackError]) -> None:
        self.issues: list[PackError] = sorted(issues, key=lambda i: (i.path, i.line))
        super().__init__("\n".join(str(issue) for issue in self.issues))

    def one_line(self) -> str:
        """The first problem, and how many more there are."""
        more = len(self.issues) - 1
        first = str(self.issues[0]) if self.issues else "the prompt library failed to load"
        return f"{first} (and {more} more; `tigerbird prompts lint` lists all)" if more else first


class PromptsDirError(LibraryError):
    """The folder of packs is missing or holds no pack."""


class TooManyPrompts(LibraryError):
    """More prompts than the near-duplicate check takes in one run."""
