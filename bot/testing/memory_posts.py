"""The in-memory post repository (see bot.testing.memory)."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Collection, Mapping
from dataclasses import replace
from datetime import datetime

from bot.core.domain import Post, PostStatus, Schedule
from bot.core.ports import PickOutcome, PickProvenance, PostRef, RecordedOutcome
from bot.testing.memory_state import MemoryState


class MemoryPosts:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

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
        if any(
            p.schedule_id == schedule_id and p.slot_at == slot_at for p in self._s.posts.values()
        ):
            return None
        post = Post(
            self._s.new_id(),
            schedule_id,
            prompt_id,
            slot_at,
            status,
            marker,
            pick_probability=pick_probability,
            claimed_at=now,
            claimed_by=owner,
        )
        if provenance is not None:
            post.pick_arm, post.pick_eligible = provenance.arm, provenance.eligible
            post.pick_draws, post.wording = provenance.draws, provenance.wording
        self._s.posts[post.id] = post
        return copy.deepcopy(post)

    async def get(self, post_id: int) -> Post | None:
        return copy.deepcopy(self._s.posts.get(post_id))

    async def update(self, post: Post) -> None:
        stored = self._s.posts[post.id]
        self._s.posts[post.id] = replace(
            copy.deepcopy(post), claimed_at=stored.claimed_at, claimed_by=stored.claimed_by
        )

    async def take_over(
        self, post_id: int, seen_claimed_at: datetime, now: datetime, owner: str | None = None
    ) -> bool:
        post = self._s.posts.get(post_id)
        if post is None or post.status != PostStatus.CLAIMED or post.claimed_at != seen_claimed_at:
            return False
        post.claimed_at = now
        post.claimed_by = owner
        post.attempts += 1
        return True

    async def stale_claims(
        self, claimed_before: datetime, owners: Collection[str] = ()
    ) -> list[Post]:
        found = [
            copy.deepcopy(p)
            for p in self._s.posts.values()
            if p.status == PostStatus.CLAIMED
            and (
                (p.claimed_at and p.claimed_at <= claimed_before)
                or (p.claimed_by is not None and p.claimed_by in owners)
            )
        ]
        return sorted(found, key=lambda p: (p.slot_at, p.id))

    async def claim_owners(self) -> set[str]:
        return {
            p.claimed_by
            for p in self._s.posts.values()
            if p.status == PostStatus.CLAIMED and p.claimed_by is not None
        }

    async def recent_prompt_ids(self, schedule_id: int, since: datetime) -> set[int]:
        return {
            p.prompt_id
            for p in self._s.posts.values()
            if p.schedule_id == schedule_id
            and p.slot_at >= since
            and p.prompt_id is not None
            and p.status in (PostStatus.CLAIMED, PostStatus.SENT)
        }

    async def recent_prompt_ids_many(self, since: Mapping[int, datetime]) -> dict[int, set[int]]:
        return {s: await self.recent_prompt_ids(s, at) for s, at in since.items()}

    async def latest_sent_many(
        self, schedule_ids: Collection[int], count: int
    ) -> dict[int, list[Post]]:
        found: dict[int, list[Post]] = {schedule_id: [] for schedule_id in schedule_ids}
        for post in sorted(self._s.posts.values(), key=lambda p: (p.slot_at, p.id), reverse=True):
            shown = found.get(post.schedule_id)
            if shown is not None and post.status == PostStatus.SENT and len(shown) < count:
                shown.append(copy.deepcopy(post))
        return found

    async def latest_sent(self, schedule_id: int, before: datetime) -> Post | None:
        sent = [
            p
            for p in self._s.posts.values()
            if p.schedule_id == schedule_id and p.status == PostStatus.SENT and p.slot_at < before
        ]
        return copy.deepcopy(max(sent, key=lambda p: p.slot_at)) if sent else None

    async def awaiting_outcome(self, limit: int) -> list[Post]:
        waiting = [
            p
            for p in self._s.posts.values()
            if p.status == PostStatus.SENT and p.outcome_at is None
        ]
        return [copy.deepcopy(p) for p in sorted(waiting, key=lambda p: (p.slot_at, p.id))[:limit]]

    async def recorded_outcomes(
        self, since: datetime | None, chunk: int = 2000
    ) -> AsyncIterator[list[RecordedOutcome]]:
        closed = [
            p
            for p in self._s.posts.values()
            if p.outcome_at is not None
            and (since is None or p.outcome_at >= since)
            and p.schedule_id in self._s.schedules
        ]
        closed.sort(key=lambda p: (p.outcome_at, p.slot_at, p.id))
        records = [self._recorded(p, p.outcome_at) for p in closed if p.outcome_at is not None]
        for start in range(0, len(records), chunk):
            yield records[start : start + chunk]

    def _recorded(self, post: Post, outcome_at: datetime) -> RecordedOutcome:
        schedule = self._s.schedules[post.schedule_id]
        prompt = self._s.prompts.get(post.prompt_id) if post.prompt_id is not None else None
        return RecordedOutcome(
            post.id,
            post.prompt_id,
            prompt.category if prompt else None,
            post.slot_at,
            post.responders,
            post.audience,
            outcome_at,
            schedule.community_id,
            schedule.channel,
            schedule.spec.timezone,
            post.wording,
        )

    async def next_sent(self, schedule_id: int, after: datetime) -> Post | None:
        later = [
            p
            for p in self._s.posts.values()
            if p.schedule_id == schedule_id and p.status == PostStatus.SENT and p.slot_at > after
        ]
        return copy.deepcopy(min(later, key=lambda p: p.slot_at)) if later else None

    async def by_message(self, channel: str, message_id: str) -> tuple[Post, Schedule] | None:
        for post in self._s.posts.values():
            schedule = self._s.schedules.get(post.schedule_id)
            if schedule is None:
                continue
            if (post.message_id == message_id and schedule.channel == channel) or (
                post.thread_id == message_id
            ):
                return copy.deepcopy(post), copy.deepcopy(schedule)
        return None

    async def by_messages(
        self, targets: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], PostRef]:
        by_message: dict[tuple[str, str], PostRef] = {}
        by_thread: dict[str, PostRef] = {}
        for post in sorted(self._s.posts.values(), key=lambda p: p.id):
            schedule = self._s.schedules.get(post.schedule_id)
            if schedule is None:
                continue
            ref = PostRef(post.id, schedule.channel)
            if post.message_id is not None:
                by_message.setdefault((schedule.channel, post.message_id), ref)
            if post.thread_id is not None:
                by_thread.setdefault(post.thread_id, ref)
        found = {}
        for channel, message in targets:
            hit = by_message.get((channel, message)) or by_thread.get(message)
            if hit is not None:
                found[(channel, message)] = hit
        return found

    async def all(self, schedule_id: int | None = None) -> list[Post]:
        posts = [
            copy.deepcopy(p)
            for p in self._s.posts.values()
            if schedule_id is None or p.schedule_id == schedule_id
        ]
        return sorted(posts, key=lambda p: (p.slot_at, p.id))

    async def pick_outcomes(self, community_id: int | None = None) -> list[PickOutcome]:
        found = []
        for post in sorted(self._s.posts.values(), key=lambda p: p.id):
            schedule = self._s.schedules.get(post.schedule_id)
            if (
                schedule is None
                or post.status is not PostStatus.SENT
                or post.pick_arm is None
                or post.pick_eligible is None
                or post.responders is None
                or post.audience is None
                or community_id not in (None, schedule.community_id)
            ):
                continue
            found.append(
                PickOutcome(
                    schedule.community_id,
                    post.pick_arm,
                    post.pick_probability,
                    post.pick_eligible,
                    post.responders,
                    post.audience,
                )
            )
        return found
