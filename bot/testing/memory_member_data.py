"""The in-memory member data repository (see bot.testing.memory): showing and forgetting one
member, as the SQL store does."""

from __future__ import annotations

from dataclasses import replace

from bot.core.domain import PlatformName, Prompt
from bot.core.records import Forgotten, MemberData
from bot.testing.memory_state import MemoryState


class MemoryMemberData:
    """Implements bot.core.ports.MemberDataRepository (the memory store keeps no Slack
    installations, so none are ever listed)."""

    def __init__(self, s: MemoryState) -> None:
        self._s = s

    def _suggested(self, platform: PlatformName, member_id: str) -> list[Prompt]:
        """Prompts this member suggested in a community of this platform, by id."""
        return [
            p
            for p in sorted(self._s.prompts.values(), key=lambda p: p.id)
            if p.suggested_by == member_id
            and p.community_id in self._s.communities
            and self._s.communities[p.community_id].platform is platform
        ]

    def _managing(self, platform: PlatformName, member_id: str) -> list[int]:
        return [
            c.id
            for c in sorted(self._s.communities.values(), key=lambda c: c.id)
            if c.platform is platform and member_id in c.manager_ids
        ]

    async def show(self, member_key: str, platform: PlatformName, member_id: str) -> MemberData:
        responses = []
        for (post_id, member, kind, emoji), at in sorted(
            self._s.responses.items(), key=lambda item: item[1]
        ):
            post = self._s.posts.get(post_id)
            schedule = self._s.schedules.get(post.schedule_id) if post else None
            if member != member_key or schedule is None:
                continue
            responses.append(
                {
                    "post_id": str(post_id),
                    "channel": schedule.channel,
                    "kind": kind.value,
                    "emoji": emoji,
                    "at": at.isoformat(),
                }
            )
        activity = [
            {"community_id": str(cid), "channel": channel, "last_seen": at.isoformat()}
            for (cid, channel, member), at in self._s.activity.items()
            if member == member_key
        ]
        suggestions = [
            {"prompt_id": str(p.id), "status": p.status.value, "text": p.text}
            for p in self._suggested(platform, member_id)
        ]
        managing = [
            {"community_id": str(cid), "community": self._s.communities[cid].name}
            for cid in self._managing(platform, member_id)
        ]
        return MemberData(member_key, responses, activity, suggestions, managing, [])

    async def forget(self, member_key: str, platform: PlatformName, member_id: str) -> Forgotten:
        theirs = [key for key in self._s.responses if key[1] == member_key]
        answered = {key[0] for key in theirs}
        for key in theirs:
            del self._s.responses[key]
        seen = [key for key in self._s.activity if key[2] == member_key]
        for place in seen:
            del self._s.activity[place]
        reset = 0
        for post_id in answered:
            post = self._s.posts.get(post_id)
            if post is not None and post.outcome_at is not None:
                post.responders = post.audience = post.outcome_at = None
                reset += 1
        suggested = self._suggested(platform, member_id)
        for prompt in suggested:
            prompt.suggested_by = None
        managing = self._managing(platform, member_id)
        for cid in managing:
            community = self._s.communities[cid]
            kept = tuple(m for m in community.manager_ids if m != member_id)
            self._s.communities[cid] = replace(community, manager_ids=kept)
        return Forgotten(len(theirs), len(seen), reset, len(suggested), len(managing))
