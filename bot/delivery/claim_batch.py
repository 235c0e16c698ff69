"""What one claim batch reads of communities and prompts, each once, and what it hands to
posting: one `Delivery` per claimed slot, and the message it posts.

`lock_due` interleaves communities, so a batch of 200 slots may span 200 communities: the
prompts they all share are read once per batch, and per community only its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.domain import Community, Post, Prompt, Schedule
from bot.core.library_health import LibraryHealthSettings, load_health_settings
from bot.core.ports import PromptMessage, UnitOfWork
from bot.core.text import neutralise_mentions


class BatchLibrary:
    """Communities and their active prompts, cached for one claim batch (one transaction)."""

    def __init__(self, u: UnitOfWork) -> None:
        self._u = u
        self._shared: list[Prompt] | None = None
        self._communities: dict[int, tuple[Community, list[Prompt]]] = {}
        self._health: dict[int, LibraryHealthSettings] = {}

    async def of(self, community_id: int) -> tuple[Community, list[Prompt]]:
        """The community and its prompts (shared and its own, in id order)."""
        if community_id not in self._communities:
            community = await self._u.communities.get(community_id)
            if community is None:
                raise LookupError(f"community {community_id} of a due schedule is not stored")
            if self._shared is None:
                self._shared = await self._u.prompts.all()
            own = await self._u.prompts.all(community_id=community_id, include_global=False)
            prompts = sorted([*self._shared, *own], key=lambda p: p.id) if own else self._shared
            self._communities[community_id] = community, prompts
        return self._communities[community_id]

    async def health(self, community_id: int) -> LibraryHealthSettings:
        """The community's recycling settings (bot.core.library_health), read once a batch."""
        if community_id not in self._health:
            self._health[community_id] = await load_health_settings(self._u.state, community_id)
        return self._health[community_id]


@dataclass
class Delivery:
    """A claimed post row and what posting it needs."""

    post: Post
    schedule: Schedule
    community: Community
    prompt: Prompt


def prompt_message(d: Delivery) -> PromptMessage:
    """What the platform posts for one delivery; the prompt's text cannot mention anyone."""
    return PromptMessage(
        text=neutralise_mentions(d.prompt.text),
        category=d.prompt.category,
        marker=d.post.marker,
        choices=d.prompt.choices,
        open_thread=d.schedule.thread,
        thread_title=neutralise_mentions(d.prompt.text)[:90],
        ping_role=d.schedule.ping_role,
    )
