"""Load errors that name the file, the line and the field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PackError:
    """One problem in a prompt file, printed as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class PackLoadError(Exception):
    """A prompt file (or directory of packs) failed to load; `issues` lists every problem."""

    def __init__(self, issues: Iterable[PackError]) -> None:
        self.issues: list[PackError] = sorted(issues, key=lambda i: (i.path, i.line))
        super().__init__("\n".join(str(issue) for issue in self.issues))
