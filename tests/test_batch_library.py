"""A claim batch's library: shared prompts plus each community's own, in id order."""

from __future__ import annotations

from bot.core.domain import PlatformName, PromptDraft, PromptSource, PromptStatus
from bot.core.ports import UnitOfWorkFactory
from bot.delivery.claim_batch import BatchLibrary


async def test_each_community_gets_the_shared_prompts_and_only_its_own(
    store: UnitOfWorkFactory,
) -> None:
    async with store() as u:
        acme = await u.communities.ensure(PlatformName.SLACK, "T1", "Acme")
        other = await u.communities.ensure(PlatformName.DISCORD, "G1", "Other")
        first = await u.prompts.add(PromptDraft("p/1", "Tiger?", "c"), PromptSource.BUILTIN)
        own = await u.prompts.add(
            PromptDraft("s/1", "Acme's own?", "c"), PromptSource.SUGGESTED, community_id=acme.id
        )
        last = await u.prompts.add(PromptDraft("p/2", "Bluebird?", "c"), PromptSource.BUILTIN)
        await u.prompts.add(
            PromptDraft("p/3", "Retired?", "c"), PromptSource.BUILTIN, PromptStatus.RETIRED
        )
        await u.commit()
    async with store() as u:
        library = BatchLibrary(u)
        acme_found, acme_prompts = await library.of(acme.id)
        other_found, other_prompts = await library.of(other.id)
        again = await library.of(acme.id)
    assert acme_found.external_id == "T1" and other_found.external_id == "G1"
    assert [p.id for p in acme_prompts] == [first.id, own.id, last.id]
    assert [p.id for p in other_prompts] == [first.id, last.id]
    assert again[1] is acme_prompts  # read once per batch
