"""Values that no log can show: the state table holds the generated member key.

SQLAlchemy's echo (INFO: parameters, DEBUG: result rows) and aiosqlite's DEBUG log print
values with repr(); an `Unlogged` string prints as a placeholder there while the driver and
every caller still see the real text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator


class Unlogged(str):
    __slots__ = ()

    def __repr__(self) -> str:
        return "'<not logged>'"


class UnloggedText(TypeDecorator[str]):
    """Text bound and read back as `Unlogged`."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else Unlogged(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else Unlogged(value)
