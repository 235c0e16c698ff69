"""The SQL key/value state repository (bot.core.ports.StateRepository)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.dialect import dialect_insert
from bot.storage.errors import RowVanished
from bot.storage.models import StateRow


class SqlState:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, key: str) -> str | None:
        row = await self._s.get(StateRow, key)
        return row.value if row else None

    async def put_if_absent(self, key: str, value: str) -> str:
        insert = dialect_insert(self._s)
        await self._s.execute(
            insert(StateRow)
            .values(key=key, value=value)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        stored = await self._s.scalar(select(StateRow.value).where(StateRow.key == key))
        if stored is None:
            raise RowVanished(f"state key {key!r}")
        return stored

    async def put(self, key: str, value: str) -> None:
        insert = dialect_insert(self._s)
        statement = insert(StateRow).values(key=key, value=value)
        await self._s.execute(
            statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
        )
