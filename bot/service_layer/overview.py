"""The overview of a community's channels in one unit of work: each schedule's prompts left before
a repeat, its days left (bot.learning.days_left) and its last posts with their responses (the
dashboard's front page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.domain import Post, Prompt, ResponseKind, Schedule
from bot.core.ports import UnitOfWork
from bot.learning.days_left import DaysLeft, schedule_days_left
from bot.learning.selection import eligible
from bot.service_layer.base import ServiceBase

Response = tuple[str, ResponseKind, str, datetime]


@dataclass(frozen=True)
class PostSnapshot:
    post: Post
    prompt: Prompt | None
    responses: list[Response]


@dataclass(frozen=True)
class ChannelSnapshot:
    schedule: Schedule
    prompts_left: int
    last_posts: list[PostSnapshot]
    days_left: DaysLeft | None = None  # bot.learning.days_left


class OverviewUseCases(ServiceBase):
    """Read-only snapshots of channels, for pages that show many at once."""

    async def channel_snapshots(
        self, schedules: Sequence[Schedule], last_posts: int = 5
    ) -> list[ChannelSnapshot]:
        """For each schedule: how many prompts it could post today without a repeat, and its
        `last_posts` sent posts (newest first) with their prompt and responses. One unit of
        work: each community's library once, then the recent prompts, the latest posts and their
        responses in bulk; days left reads each shown schedule's posts (one query each)."""
        now = self.clock.now()
        libraries: dict[int, dict[int, Prompt]] = {}
        since = {s.id: now - timedelta(days=s.repeat_window_days) for s in schedules}
        async with self.uow() as u:
            for community_id in dict.fromkeys(s.community_id for s in schedules):
                prompts = await u.prompts.all(community_id=community_id)
                libraries[community_id] = {p.id: p for p in prompts}
            recent = await u.posts.recent_prompt_ids_many(since)
            latest = await u.posts.latest_sent_many([s.id for s in schedules], last_posts)
            shown = [post for posts in latest.values() for post in posts]
            responses = await u.responses.for_posts([post.id for post in shown])
            retired = await self._prompts_outside(u, libraries, schedules, latest)
            lasting: dict[int, DaysLeft] = {}
            for s in schedules:
                pool = eligible(libraries[s.community_id].values(), set(), s.categories)
                start = max(now, s.next_slot_at or now)
                lasting[s.id] = await schedule_days_left(u.posts, s, pool, start)
        snapshots: list[ChannelSnapshot] = []
        for schedule in schedules:
            library = libraries[schedule.community_id]
            left = len(eligible(library.values(), recent[schedule.id], schedule.categories))
            posts = [
                PostSnapshot(post, _prompt_of(post, library, retired), responses[post.id])
                for post in latest[schedule.id]
            ]
            snapshots.append(ChannelSnapshot(schedule, left, posts, lasting[schedule.id]))
        return snapshots

    @staticmethod
    async def _prompts_outside(
        u: UnitOfWork,
        libraries: dict[int, dict[int, Prompt]],
        schedules: Sequence[Schedule],
        latest: dict[int, list[Post]],
    ) -> dict[int, Prompt]:
        """The shown posts' prompts that are no longer in their community's active library
        (retired since), read one by one: there are few."""
        found: dict[int, Prompt] = {}
        for schedule in schedules:
            library = libraries[schedule.community_id]
            for post in latest[schedule.id]:
                wanted = post.prompt_id
                if wanted is None or wanted in library or wanted in found:
                    continue
                prompt = await u.prompts.get(wanted)
                if prompt is not None:
                    found[wanted] = prompt
        return found


def _prompt_of(post: Post, library: dict[int, Prompt], retired: dict[int, Prompt]) -> Prompt | None:
    if post.prompt_id is None:
        return None
    return library.get(post.prompt_id) or retired.get(post.prompt_id)
