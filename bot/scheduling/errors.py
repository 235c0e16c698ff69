"""The one error a schedule setting raises, naming the ScheduleSpec field at fault."""

from __future__ import annotations


class ScheduleError(ValueError):
    """A schedule setting that cannot be used; `field` names it, `message` says what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
