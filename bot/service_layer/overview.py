"""The overview of a community's channels in one unit of work: each schedule's prompts left before
a repeat, its days left (bot.learning.days_left) and its last posts with their responses (the
dashboard's front page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.domain import Post, PostStatus, Prompt, ResponseKind, Schedule
from bot.learning.days_left import DaysLeft, days_left, last_posted
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
        work; each community's library is read once."""
        now = self.clock.now()
        libraries: dict[int, dict[int, Prompt]] = {}
        snapshots: list[ChannelSnapshot] = []
        async with self.uow() as u:
            for schedule in schedules:
                library = libraries.get(schedule.community_id)
                if library is None:
                    prompts = await u.prompts.all(community_id=schedule.community_id)
                    library = libraries[schedule.community_id] = {p.id: p for p in prompts}
                since = now - timedelta(days=schedule.repeat_window_days)
                recent = await u.posts.recent_prompt_ids(schedule.id, since)
                left = len(eligible(library.values(), recent, schedule.categories))
                history = await u.posts.all(schedule.id)
                pool = eligible(library.values(), set(), schedule.categories)
                start = max(now, schedule.next_slot_at or now)
                lasting = days_left(
                    schedule.spec, schedule.repeat_window_days, pool, last_posted(history),
                    start, schedule.categories,
                )  # fmt: skip
                sent = [p for p in history if p.status is PostStatus.SENT]
                latest = sorted(sent, key=lambda p: p.slot_at, reverse=True)[:last_posts]
                posts: list[PostSnapshot] = []
                for post in latest:
                    prompt = None
                    if post.prompt_id is not None:
                        prompt = library.get(post.prompt_id) or await u.prompts.get(post.prompt_id)
                    posts.append(PostSnapshot(post, prompt, await u.responses.for_post(post.id)))
                snapshots.append(ChannelSnapshot(schedule, left, posts, lasting))
        return snapshots
