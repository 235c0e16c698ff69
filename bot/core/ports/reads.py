"""Read-side ports: the bulk reads of analytics, privacy and export (and, for privacy,
forgetting a member), reached from the unit of work like the repositories. Each store
answers them in a few queries rather than one per row."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.core.domain import PlatformName
from bot.core.history import History
from bot.core.records import Forgotten, MemberData


class HistoryReader(Protocol):
    async def load(self, community_id: int | None = None, since: datetime | None = None) -> History:
        """Every sent post that has a prompt, with its responses (by time, member, kind) and
        its audience (the recorded one, else the channel's members active in the
        `bot.learning.metric.AUDIENCE_WINDOW` before the post); every prompt, whatever its
        status, and every community. Given a community or an instant, only
        `History.within(community_id, since)` of that, and only that part is read."""
        ...


class MemberDataRepository(Protocol):
    """One member's stored data, for `tigerbird privacy`. The member is known by their
    pseudonymous key (responses, activity) and by their raw platform id (suggestions,
    manager listings, Slack installations: kept raw to address them)."""

    async def show(self, member_key: str, platform: PlatformName, member_id: str) -> MemberData:
        """The member's responses (with their channel) and activity, oldest first; their
        suggestions; the communities listing them as a manager; their Slack installations."""
        ...

    async def forget(self, member_key: str, platform: PlatformName, member_id: str) -> Forgotten:
        """Delete the member's responses and activity; the posts they answered lose their
        recorded outcome (it is recorded again without them); their suggestions stay without
        their id; they are no longer a manager anywhere. Takes effect on commit."""
        ...


class ExportReader(Protocol):
    """The raw rows for `tigerbird export`, as CSV-ready strings (`bot.core.records.export_text`);
    members appear only by their pseudonymous key."""

    async def posts(self) -> list[dict[str, str]]:
        """Every post with its community, channel and prompt, by slot then id
        (keys: `bot.core.records.POST_COLUMNS`)."""
        ...

    async def responses(self) -> list[dict[str, str]]:
        """Every response with its post's community and channel, oldest first
        (keys: `bot.core.records.RESPONSE_COLUMNS`)."""
        ...
