"""The dashboard's library reads in memory (implements bot.core.ports.LibraryReads for tests)."""

from __future__ import annotations

import copy
from collections.abc import Collection
from typing import Protocol

from bot.core.domain import Post, PostStatus, Prompt, Schedule
from bot.core.ports import LibraryQuery, PromptRecord, WordingRecord


class HoldsLibrary(Protocol):
    """The memory store's state (read late: rollback replaces its dicts)."""

    prompts: dict[int, Prompt]
    posts: dict[int, Post]
    schedules: dict[int, Schedule]


def _matches(p: Prompt, q: LibraryQuery) -> bool:
    return (
        p.community_id in (None, q.community_id)
        and (q.status is None or p.status == q.status)
        and (not q.category or p.category == q.category)
        and q.text.strip().lower() in p.text.lower()
    )


class MemoryLibraryReads:
    def __init__(self, state: HoldsLibrary) -> None:
        self._state = state

    def _found(self, query: LibraryQuery) -> list[Prompt]:
        prompts = sorted(self._state.prompts.values(), key=lambda p: p.id)
        return [p for p in prompts if _matches(p, query)]

    async def search(self, query: LibraryQuery, offset: int, limit: int) -> list[Prompt]:
        return copy.deepcopy(self._found(query)[offset : offset + limit])

    async def count(self, query: LibraryQuery) -> int:
        return len(self._found(query))

    async def records(
        self, community_id: int, prompt_ids: Collection[int]
    ) -> dict[int, PromptRecord]:
        wanted = set(prompt_ids)
        sums: dict[int, list[int]] = {}
        for post in self._state.posts.values():
            schedule = self._state.schedules.get(post.schedule_id)
            if schedule is None or schedule.community_id != community_id:
                continue
            if post.status is not PostStatus.SENT or post.prompt_id not in wanted:
                continue
            total = sums.setdefault(post.prompt_id, [0, 0, 0])
            total[0] += 1
            if post.outcome_at is not None:
                total[1] += post.responders or 0
                total[2] += post.audience or 0
        return {pid: PromptRecord(pid, n, r, a) for pid, (n, r, a) in sums.items()}

    async def wording_records(
        self, prompt_id: int, community_id: int | None
    ) -> dict[str, WordingRecord]:
        sums: dict[str, list[int]] = {}
        for post in self._state.posts.values():
            schedule = self._state.schedules.get(post.schedule_id)
            if schedule is None or community_id not in (None, schedule.community_id):
                continue
            if post.status is not PostStatus.SENT or post.prompt_id != prompt_id:
                continue
            if post.wording is None:
                continue
            total = sums.setdefault(post.wording, [0, 0, 0])
            total[0] += 1
            if post.outcome_at is not None:
                total[1] += post.responders or 0
                total[2] += post.audience or 0
        return {key: WordingRecord(key, n, r, a) for key, (n, r, a) in sums.items()}
