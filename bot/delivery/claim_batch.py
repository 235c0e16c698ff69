"""What one claim batch reads of communities and prompts, each once.

`lock_due` interleaves communities, so a batch of 200 slots may span 200 communities: the
prompts they all share are read once per batch, and per community only its own.
"""

from __future__ import annotations

from bot.core.domain import Community, Prompt
from bot.core.ports import UnitOfWork


class BatchLibrary:
    """Communities and their active prompts, cached for one claim batch (one transaction)."""

    def __init__(self, u: UnitOfWork) -> None:
        self._u = u
        self._shared: list[Prompt] | None = None
        self._communities: dict[int, tuple[Community, list[Prompt]]] = {}

    async def of(self, community_id: int) -> tuple[Community, list[Prompt]]:
        """The community and its prompts (shared and its own, in id order)."""
        if community_id not in self._communities:
            community = await self._u.communities.get(community_id)
            assert community is not None
            if self._shared is None:
                self._shared = await self._u.prompts.all()
            own = await self._u.prompts.all(community_id=community_id, include_global=False)
            prompts = sorted([*self._shared, *own], key=lambda p: p.id) if own else self._shared
            self._communities[community_id] = community, prompts
        return self._communities[community_id]
