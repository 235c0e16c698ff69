"""Errors the SQL store raises when it is misused or the database contradicts itself."""

from __future__ import annotations


class UnitOfWorkClosed(RuntimeError):
    """A unit of work was used outside its `async with` block."""

    def __init__(self, action: str) -> None:
        super().__init__(f"cannot {action}: the unit of work is not open (use `async with uow()`)")


class RowVanished(RuntimeError):
    """A row this transaction just wrote (or found already there) could not be read back."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} was written but cannot be read back (deleted concurrently?)")
