"""The in-memory response and activity repositories (see bot.testing.memory)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from bot.core.activity_hours import new_in_hours
from bot.core.domain import ResponseKind
from bot.core.ports import ActivityRecord, ResponseRecord
from bot.testing.memory_state import MemoryState


class MemoryResponses:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def add(
        self, post_id: int, member_key: str, kind: ResponseKind, emoji: str, at: datetime
    ) -> bool:
        key = (post_id, member_key, kind, emoji)
        if key in self._s.responses:
            return False
        self._s.responses[key] = at
        return True

    async def remove(self, post_id: int, member_key: str, kind: ResponseKind, emoji: str) -> bool:
        return self._s.responses.pop((post_id, member_key, kind, emoji), None) is not None

    async def for_post(self, post_id: int) -> list[tuple[str, ResponseKind, str, datetime]]:
        return [(k[1], k[2], k[3], at) for k, at in self._s.responses.items() if k[0] == post_id]

    async def for_posts(
        self, post_ids: Collection[int]
    ) -> dict[int, list[tuple[str, ResponseKind, str, datetime]]]:
        found: dict[int, list[tuple[str, ResponseKind, str, datetime]]] = {p: [] for p in post_ids}
        for (post_id, member, kind, emoji), at in self._s.responses.items():
            if post_id in found:
                found[post_id].append((member, kind, emoji, at))
        return found

    async def add_many(self, responses: Sequence[ResponseRecord]) -> None:
        for r in responses:
            self._s.responses.setdefault((r.post_id, r.member_key, r.kind, r.emoji), r.at)

    async def remove_many(self, responses: Collection[tuple[int, str, ResponseKind, str]]) -> None:
        for key in responses:
            self._s.responses.pop(key, None)

    async def remove_member(self, community_id: int, member_key: str) -> set[int]:
        mine = [
            key
            for key in self._s.responses
            if key[1] == member_key and self._community_of(key[0]) == community_id
        ]
        for key in mine:
            del self._s.responses[key]
        return {key[0] for key in mine}

    def _community_of(self, post_id: int) -> int | None:
        post = self._s.posts.get(post_id)
        schedule = self._s.schedules.get(post.schedule_id) if post else None
        return schedule.community_id if schedule else None


class MemoryActivity:
    def __init__(self, s: MemoryState) -> None:
        self._s = s

    async def seen(self, community_id: int, channel: str, member_key: str, at: datetime) -> None:
        key = (community_id, channel, member_key)
        previous = self._s.activity.get(key)
        self._s.activity[key] = at if previous is None else max(previous, at)

    async def audience(self, community_id: int, channel: str, since: datetime) -> int:
        return sum(
            1
            for (cid, ch, _), at in self._s.activity.items()
            if cid == community_id and ch == channel and at >= since
        )

    async def seen_many(self, seen: Sequence[ActivityRecord]) -> None:
        for key, gained in new_in_hours(seen, self._s.activity).items():
            self._s.activity_hours[key] = self._s.activity_hours.get(key, 0) + gained
        for s in seen:
            await self.seen(s.community_id, s.channel, s.member_key, s.at)

    async def hourly(
        self, community_id: int, channel: str, since: datetime
    ) -> list[tuple[datetime, int]]:
        return sorted(
            (hour, members)
            for (cid, ch, hour), members in self._s.activity_hours.items()
            if cid == community_id and ch == channel and hour >= since
        )

    async def forget_member(self, community_id: int, member_key: str) -> int:
        mine = [k for k in self._s.activity if k[0] == community_id and k[2] == member_key]
        for key in mine:
            del self._s.activity[key]
        return len(mine)
