"""A small time-bounded cache whose concurrent misses for one key share one fetch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class TtlCache(Generic[V]):
    """Values kept `ttl` seconds; at most `limit` keys (expired ones go first, then the oldest)."""

    def __init__(
        self, ttl: float, limit: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self._limit = limit
        self._clock = clock
        self._values: dict[str, tuple[float, V]] = {}
        self._fetching: dict[str, asyncio.Future[V]] = {}

    async def get(self, key: str, fetch: Callable[[], Awaitable[V]]) -> V:
        found = self._values.get(key)
        if found is not None and found[0] > self._clock():
            return found[1]
        while (pending := self._fetching.get(key)) is not None:
            try:
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # this caller was cancelled, not the fetch it waited for
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._fetching[key] = future
        try:
            value = await fetch()
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning without waiters
            raise
        except BaseException:
            future.cancel()  # waiters fetch again themselves
            raise
        finally:
            del self._fetching[key]
        future.set_result(value)
        self._put(key, value)
        return value

    def forget(self, key: str) -> None:
        self._values.pop(key, None)

    def __len__(self) -> int:
        return len(self._values)

    def _put(self, key: str, value: V) -> None:
        now = self._clock()
        if len(self._values) >= self._limit:
            self._values = {k: v for k, v in self._values.items() if v[0] > now}
            while len(self._values) >= self._limit:
                del self._values[next(iter(self._values))]
        self._values[key] = (now + self.ttl, value)
