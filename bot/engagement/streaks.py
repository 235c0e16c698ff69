"""Answer streaks: a member's run of consecutive posts answered (a reply or a reaction) in one
channel, and the milestones worth a word in the thread. Pure functions over post ids."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.core.rituals import MILESTONES


@dataclass(frozen=True)
class Streak:
    """A member's streaks in one channel: `current` ends at the channel's latest post (or the
    one before it, while that latest post is still open to answer), `best` is the longest."""

    channel: str
    current: int
    best: int
    answers: int


def streak_at(posts: Sequence[int], answered: Collection[int], post_id: int) -> int:
    """The length of the run of answered posts ending at `post_id` (0 if it is unanswered).
    `posts` are the channel's post ids, oldest first."""
    if post_id not in answered or post_id not in posts:
        return 0
    length = 0
    for earlier in reversed(posts[: posts.index(post_id) + 1]):
        if earlier not in answered:
            break
        length += 1
    return length


def milestone(length: int) -> int | None:
    """`length` if a streak of that length earns an acknowledgement."""
    return length if length in MILESTONES else None


def streak_of(channel: str, posts: Sequence[int], answered: Collection[int]) -> Streak:
    """The member's current and best streak in a channel, and how many posts they answered."""
    best = run = 0
    for post_id in posts:
        run = run + 1 if post_id in answered else 0
        best = max(best, run)
    current = run
    if not current and len(posts) >= 2 and posts[-1] not in answered:
        current = streak_at(posts, answered, posts[-2])  # today's post may still come
    return Streak(channel, current, best, len([p for p in posts if p in answered]))


def milestone_text(length: int) -> str:
    """The acknowledgement in the thread: names no one, so it pings no one."""
    return f"🔥 A {length}-answer streak in this channel! Thanks for showing up, day after day."
