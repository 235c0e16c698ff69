"""The library as the dashboard reads it: a filtered, paginated page of a community's prompts,
and each prompt's record there (times posted, responders over audience)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from bot.core.domain import Prompt, PromptStatus


@dataclass(frozen=True, slots=True)
class LibraryQuery:
    """Which prompts: visible to the community (shared ones and its own), with this status
    (None: any), in this category (None: all), whose text contains `text` (case-insensitive
    for ASCII letters; empty: any)."""

    community_id: int
    status: PromptStatus | None = PromptStatus.ACTIVE
    category: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class PromptRecord:
    """A prompt's record in one community: sent posts, and summed responders over summed
    audience of those whose outcome is recorded."""

    prompt_id: int
    times_posted: int
    responders: int
    audience: int


@dataclass(frozen=True, slots=True)
class WordingRecord:
    """One wording's record (by its key, bot.core.wordings): sent posts that carried it, and
    summed responders over summed audience of those whose outcome is recorded."""

    wording: str
    times_posted: int
    responders: int
    audience: int


class LibraryReads(Protocol):
    async def search(self, query: LibraryQuery, offset: int, limit: int) -> list[Prompt]:
        """Up to `limit` matching prompts from `offset`, by id."""
        ...

    async def count(self, query: LibraryQuery) -> int:
        """How many prompts match."""
        ...

    async def records(
        self, community_id: int, prompt_ids: Collection[int]
    ) -> dict[int, PromptRecord]:
        """The record of each of these prompts in the community's channels; a prompt never
        posted there is absent."""
        ...

    async def wording_records(
        self, prompt_id: int, community_id: int | None
    ) -> dict[str, WordingRecord]:
        """The record of each wording of this prompt that was posted, by wording key: in one
        community's channels, or in every community's if `community_id` is None. Posts made
        before wordings were recorded are left out."""
        ...
