"""The engagement of one post: unique responders within its window, out of its audience."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

RESPONSE_WINDOW = timedelta(hours=24)
# The active audience: members seen in the channel in the 28 days before the post.
AUDIENCE_WINDOW = timedelta(days=28)


def response_window_end(post_at: datetime, next_post_at: datetime | None) -> datetime:
    """24 h after the post, or the channel's next post if that comes first."""
    end = post_at + RESPONSE_WINDOW
    if next_post_at is not None and post_at < next_post_at < end:
        return next_post_at
    return end


def engagement(
    post_at: datetime,
    next_post_at: datetime | None,
    responses: Sequence[tuple[str, datetime]],
    excluded: set[str],
    audience: int,
    now: datetime,
) -> tuple[int, int] | None:
    """(unique responders, audience) of a closed post, or None while its window is open.

    `responses` are (member key, time) pairs of reactions and replies; members in `excluded`
    (bots, Tigerbird itself) do not count. The audience is clamped to at least
    max(1, responders) so the ratio is a proper share.
    """
    end = response_window_end(post_at, next_post_at)
    if now < end:
        return None
    members = {key for key, at in responses if post_at <= at < end and key not in excluded}
    responders = len(members)
    return responders, max(audience, responders, 1)
