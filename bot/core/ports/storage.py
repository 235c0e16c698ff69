"""Storage ports: the repositories and the unit of work the core reads and writes through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from bot.core.domain import (
    Community,
    PlatformName,
    Post,
    PostStatus,
    Prompt,
    PromptDraft,
    PromptSource,
    PromptStatus,
    ResponseKind,
    Schedule,
)
from bot.core.ports.audit import AuditRepository
from bot.core.ports.library_reads import LibraryReads
from bot.core.ports.reads import ExportReader, HistoryReader, MemberDataRepository
from bot.core.ports.rituals import RitualRepository
from bot.core.records import (
    ActivityRecord,
    NewSchedule,
    PickOutcome,
    PickProvenance,
    PostRef,
    RecordedOutcome,
    ResponseRecord,
)


class CommunityRepository(Protocol):
    async def get(self, community_id: int) -> Community | None: ...

    async def find(self, platform: PlatformName, external_id: str) -> Community | None: ...

    async def ensure(self, platform: PlatformName, external_id: str, name: str = "") -> Community:
        """The community with this platform id, created if new."""
        ...

    async def update(self, community: Community) -> None: ...

    async def all(self) -> list[Community]: ...

    async def find_many(
        self, keys: Collection[tuple[PlatformName, str]]
    ) -> dict[tuple[PlatformName, str], Community]:
        """The communities among these (platform, external id) keys, in one query; unknown
        keys are absent from the result."""
        ...


class ScheduleRepository(Protocol):
    async def add(self, new: NewSchedule, next_slot_at: datetime | None) -> Schedule: ...

    async def get(self, schedule_id: int) -> Schedule | None: ...

    async def all(self, community_id: int | None = None) -> list[Schedule]: ...

    async def count(self, community_id: int) -> int:
        """How many schedules the community has."""
        ...

    async def page(self, community_id: int, offset: int, limit: int) -> list[Schedule]:
        """The community's schedules by id, `limit` of them from the `offset`-th on (a
        paginated list reads only its page)."""
        ...

    async def for_channel(self, community_id: int, channel: str) -> list[Schedule]: ...

    async def update(self, schedule: Schedule) -> None: ...

    async def remove(self, schedule_id: int) -> None: ...

    async def lock_due(self, now: datetime, limit: int) -> list[Schedule]:
        """Unpaused schedules with next_slot_at <= now, locked for this transaction; rows
        another worker holds are skipped (FOR UPDATE SKIP LOCKED). Earliest slot first, then
        in `bot.scheduling.slots.spread_key` order, so that communities are interleaved."""
        ...

    async def earliest_next_slot(self) -> datetime | None: ...


class PromptRepository(Protocol):
    async def get(self, prompt_id: int) -> Prompt | None: ...

    async def by_key(self, key: str) -> Prompt | None: ...

    async def add(
        self,
        draft: PromptDraft,
        source: PromptSource,
        status: PromptStatus = PromptStatus.ACTIVE,
        community_id: int | None = None,
        suggested_by: str | None = None,
    ) -> Prompt: ...

    async def update(self, prompt: Prompt) -> None: ...

    async def all(
        self,
        status: PromptStatus | None = PromptStatus.ACTIVE,
        community_id: int | None = None,
        include_global: bool = True,
    ) -> list[Prompt]:
        """Prompts with this status (None: any), global ones plus the community's own."""
        ...

    async def change_status(
        self, prompt_id: int, community_id: int, expected: PromptStatus, new: PromptStatus
    ) -> bool:
        """Move one of the community's prompts from `expected` to `new` in one conditional
        statement; False if it is not the community's or no longer `expected` (two managers
        deciding at once: only the first decision counts)."""
        ...


class PostRepository(Protocol):
    async def claim(
        self,
        schedule_id: int,
        slot_at: datetime,
        marker: str,
        prompt_id: int | None,
        pick_probability: float | None,
        now: datetime,
        status: PostStatus = PostStatus.CLAIMED,
        owner: str | None = None,
        provenance: PickProvenance | None = None,
    ) -> Post | None:
        """Insert the post row for this slot unless one exists (INSERT ... ON CONFLICT DO
        NOTHING on (schedule_id, slot_at)); None means another worker owns the slot.
        `owner` is the claiming worker's id (WorkerLiveness.worker_id); `provenance` is how
        the prompt was picked (arm, eligible count, posterior draws)."""
        ...

    async def pick_outcomes(self, community_id: int | None = None) -> list[PickOutcome]:
        """Closed sent posts that record how they were picked (policy or holdout), with their
        engagement; one community's, or every community's if None."""
        ...

    async def get(self, post_id: int) -> Post | None: ...

    async def update(self, post: Post) -> None: ...

    async def take_over(
        self, post_id: int, seen_claimed_at: datetime, now: datetime, owner: str | None = None
    ) -> bool:
        """Renew the lease of a claimed row if nobody renewed it since we looked (an atomic
        compare-and-set on claimed_at); True if this worker (`owner`) now owns the row."""
        ...

    async def stale_claims(
        self, claimed_before: datetime, owners: Collection[str] = ()
    ) -> list[Post]:
        """Rows still `claimed` whose lease started before the given instant, or whose owner
        is one of `owners` (workers known to be dead), whatever their age."""
        ...

    async def claim_owners(self) -> set[str]:
        """The workers that own rows still `claimed`."""
        ...

    async def recent_prompt_ids(self, schedule_id: int, since: datetime) -> set[int]:
        """Prompts posted or claimed for this schedule at or after `since`."""
        ...

    async def recent_prompt_ids_many(self, since: Mapping[int, datetime]) -> dict[int, set[int]]:
        """`recent_prompt_ids` for many schedules in one query: each schedule id of `since`
        maps to the prompts posted or claimed for it at or after its own instant."""
        ...

    async def latest_sent(self, schedule_id: int, before: datetime) -> Post | None: ...

    async def latest_sent_many(
        self, schedule_ids: Collection[int], count: int
    ) -> dict[int, list[Post]]:
        """Each schedule's `count` newest sent posts (latest slot first), in one query; every
        schedule id given maps to a list, empty if it has no sent post."""
        ...

    async def awaiting_outcome(self, limit: int) -> list[Post]:
        """Sent posts whose engagement outcome is not recorded yet, oldest slot first."""
        ...

    def recorded_outcomes(
        self, since: datetime | None, chunk: int = 2000
    ) -> AsyncIterator[list[RecordedOutcome]]:
        """Outcomes recorded at or after `since` (all if None), in the order they were
        recorded, then by slot; streamed in lists of up to `chunk`, never all held at once."""
        ...

    async def next_sent(self, schedule_id: int, after: datetime) -> Post | None:
        """The schedule's first sent post with a slot after `after`."""
        ...

    async def by_message(self, channel: str, message_id: str) -> tuple[Post, Schedule] | None:
        """The post whose message or thread has this id, with its schedule."""
        ...

    async def by_messages(
        self, targets: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], PostRef]:
        """`by_message` for many (channel, message or thread id) pairs in one query: each pair
        that finds a post maps to it; pairs that find none are absent."""
        ...

    async def all(self, schedule_id: int | None = None) -> list[Post]: ...


class ResponseRepository(Protocol):
    async def add(
        self, post_id: int, member_key: str, kind: ResponseKind, emoji: str, at: datetime
    ) -> bool:
        """Store the response unless the same (post, member, kind, emoji) exists; True if new."""
        ...

    async def remove(
        self, post_id: int, member_key: str, kind: ResponseKind, emoji: str
    ) -> bool: ...

    async def for_post(self, post_id: int) -> list[tuple[str, ResponseKind, str, datetime]]: ...

    async def for_posts(
        self, post_ids: Collection[int]
    ) -> dict[int, list[tuple[str, ResponseKind, str, datetime]]]:
        """`for_post` for many posts in one query: every post id given maps to its responses
        (in `for_post`'s order), an empty list if it has none."""
        ...

    async def add_many(self, responses: Sequence[ResponseRecord]) -> None:
        """Store every response whose (post, member, kind, emoji) is not stored yet; existing
        ones and repeats within `responses` are ignored (the first `at` wins). Idempotent."""
        ...

    async def remove_many(self, responses: Collection[tuple[int, str, ResponseKind, str]]) -> None:
        """Delete the responses with these (post, member, kind, emoji) keys, if stored."""
        ...

    async def remove_member(self, community_id: int, member_key: str) -> set[int]:
        """Delete every response of one member on the community's posts (a bot recorded as
        a member by mistake); returns the ids of the posts that lost a response."""
        ...


class ActivityRepository(Protocol):
    async def seen(self, community_id: int, channel: str, member_key: str, at: datetime) -> None:
        """Record that a member was active in a channel (the latest time is kept)."""
        ...

    async def audience(self, community_id: int, channel: str, since: datetime) -> int:
        """Distinct members active in the channel since `since`."""
        ...

    async def seen_many(self, seen: Sequence[ActivityRecord]) -> None:
        """`seen` for many members at once (an upsert): each (community, channel, member)
        keeps the latest time, whether stored already or repeated within `seen`. Each member
        also counts once in the channel's hourly activity for every UTC hour they show in
        (bot.core.activity_hours)."""
        ...

    async def hourly(
        self, community_id: int, channel: str, since: datetime
    ) -> list[tuple[datetime, int]]:
        """(UTC hour start, distinct members seen in it) for the channel's hours from `since`,
        oldest first; an hour nobody showed in is absent."""
        ...

    async def forget_member(self, community_id: int, member_key: str) -> int:
        """Delete where one member was seen in the community; returns how many rows went."""
        ...


class StateRepository(Protocol):
    """Small key/value state the bot keeps for itself (e.g. the generated member-hash key)."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str) -> None: ...

    async def put_if_absent(self, key: str, value: str) -> str:
        """Store value unless the key exists; return what is stored."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository and read-side port (`bot.core.ports.reads`);
    leaving the block without commit rolls back."""

    communities: CommunityRepository
    schedules: ScheduleRepository
    prompts: PromptRepository
    posts: PostRepository
    responses: ResponseRepository
    activity: ActivityRepository
    state: StateRepository
    audit: AuditRepository
    library: LibraryReads
    history: HistoryReader
    member_data: MemberDataRepository
    exports: ExportReader
    rituals: RitualRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


PromptList = Sequence[Prompt]
