"""A/B wordings on every store (memory, SQLite, PostgreSQL): variants are stored with the
prompt, each post records the wording it carried (also when recovery re-posts it), outcomes
are credited to it, and promotion is scoped to the caller's community and audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np
import pytest

from bot.core.authz import Access, Caller
from bot.core.domain import PlatformName, PromptDraft, PromptSource, PromptStatus
from bot.core.invocations import CommandError, Invocation
from bot.core.ports import PickProvenance, PlatformError, UnitOfWorkFactory
from bot.core.wordings import wording_key
from bot.delivery.deliverer import Deliverer, DeliveryConfig
from bot.engagement.members import MemberKeys
from bot.learning.loop import LearningLoop
from bot.learning.selection import UniformPolicy
from bot.service_layer.services import Tigerbird
from bot.service_layer.wordings import WordingManagement
from bot.testing.platform import FakePlatform, FrozenClock
from tests.conftest import START
from tests.helpers import daily

SHARED = PromptDraft(
    "shared/tiger",
    "If you had to be one, would you be a tiger or a bluebird?",
    "this-or-that",
    variants=(
        "Tiger or bluebird: which one would you rather be?",
        "Picture yourself as a tiger or a bluebird. Which fits?",
    ),
)


class Always:
    """A wording chooser that always picks one index and remembers what it learned."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.seen: list[tuple[int, str | None, int, int]] = []

    def choose(self, prompt_id: int, keys: Sequence[str]) -> int:
        return min(self.index, len(keys) - 1)

    def observe(self, prompt_id: int, key: str | None, responders: int, audience: int) -> None:
        self.seen.append((prompt_id, key, responders, audience))


def _service(
    store: UnitOfWorkFactory, clock: FrozenClock, chooser: Always
) -> tuple[Tigerbird, FakePlatform]:
    platform = FakePlatform(PlatformName.SLACK, clock)
    policy = UniformPolicy(np.random.default_rng(1))
    deliverer = Deliverer(
        store, {platform.name: platform}, policy, clock, DeliveryConfig(), wordings=chooser
    )
    service = Tigerbird(
        store, {platform.name: platform}, policy, clock, MemberKeys(b"k"), deliverer
    )
    return service, platform


async def test_variants_are_stored_with_the_prompt(store: UnitOfWorkFactory) -> None:
    async with store() as u:
        added = await u.prompts.add(SHARED, PromptSource.BUILTIN)
        await u.commit()
    assert added.variants == SHARED.variants
    async with store() as u:
        found = await u.prompts.get(added.id)
        assert found is not None and found.variants == SHARED.variants
        by_key = await u.prompts.by_key(SHARED.key)
        assert by_key is not None and by_key.variants == SHARED.variants
        found.variants = (SHARED.variants[1],)
        await u.prompts.update(found)
        await u.commit()
    async with store() as u:
        (listed,) = await u.prompts.all()
    assert listed.variants == (SHARED.variants[1],)


async def test_a_post_records_and_credits_its_wording(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(START)
    chooser = Always(2)
    service, platform = _service(store, clock, chooser)
    await service.sync_library([SHARED])
    schedule = await daily(service)
    clock.advance(timedelta(hours=1))
    assert await service.post_due() == 1
    assert [m.message.text for m in platform.messages] == [SHARED.variants[1]]
    (post,) = await service.posts_of(schedule.id)
    assert post.wording == wording_key(SHARED.variants[1])
    async with store() as u:
        assert await u.posts.get(post.id) is not None
        post.responders, post.audience, post.outcome_at = 4, 20, clock.now()
        await u.posts.update(post)
        await u.commit()
    loop = LearningLoop(store, UniformPolicy(np.random.default_rng(2)), clock, wordings=chooser)
    assert await loop.sync() == 1
    assert chooser.seen == [(post.prompt_id, post.wording, 4, 20)]
    async with store() as u:
        community = await u.communities.find(PlatformName.SLACK, "T1")
        assert community is not None
        here = await u.library.wording_records(post.prompt_id or 0, community.id)
        everywhere = await u.library.wording_records(post.prompt_id or 0, None)
        elsewhere = await u.library.wording_records(post.prompt_id or 0, community.id + 99)
    key = wording_key(SHARED.variants[1])
    assert list(here) == [key] == list(everywhere)
    record = here[key]
    assert (record.times_posted, record.responders, record.audience) == (1, 4, 20)
    assert elsewhere == {}


async def test_a_recovered_post_keeps_its_wording(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(START)
    chooser = Always(1)
    service, platform = _service(store, clock, chooser)
    await service.sync_library([SHARED])
    schedule = await daily(service)
    platform.fail_next = [PlatformError("503")]
    clock.advance(timedelta(hours=1))
    await service.post_due()
    chooser.index = 0  # a fresh choice now would post the main text
    clock.advance(timedelta(minutes=10))
    assert await service.recover(lease=timedelta(0)) == 1
    assert [m.message.text for m in platform.messages] == [SHARED.variants[0]]
    (post,) = await service.posts_of(schedule.id)
    assert post.wording == wording_key(SHARED.variants[0])


async def test_a_provenance_wording_is_stored_by_the_claim(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(START)
    service, _ = _service(store, clock, Always(0))
    await service.sync_library([SHARED])
    schedule = await daily(service)
    async with store() as u:
        claimed = await u.posts.claim(
            schedule.id, START, "m1", None, None, START,
            provenance=PickProvenance("policy", 1, None, "abc123"),
        )  # fmt: skip
        assert claimed is not None and claimed.wording == "abc123"
        await u.commit()
    async with store() as u:
        stored = await u.posts.get(claimed.id)
    assert stored is not None and stored.wording == "abc123"


def _inv(community: str, member: str, admin: bool = True) -> Invocation:
    return Invocation(PlatformName.SLACK, community, "C0", member, member_is_admin=admin)


async def _managers(
    store: UnitOfWorkFactory, service: Tigerbird
) -> tuple[WordingManagement, Caller, Caller]:
    access = Access(store)
    manage = WordingManagement(store, access, service.audit_trail(access))
    await service.ensure_community(PlatformName.SLACK, "T2", "Other")
    return manage, await access.caller(_inv("T1", "U1")), await access.caller(_inv("T2", "U9"))


async def test_promoting_a_shared_prompt_pins_it_for_one_community(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(START)
    chooser = Always(0)
    service, platform = _service(store, clock, chooser)
    await service.sync_library([SHARED])
    await daily(service)  # community T1, channel C1
    manage, acme, other = await _managers(store, service)
    (prompt,) = await service.list_prompts()
    done = await manage.promote(acme, prompt.id, "c")
    assert done.startswith(f"This community now posts wording C of prompt #{prompt.id}")
    assert (await manage.data(acme, prompt.id)).pinned == wording_key(SHARED.variants[1])
    assert (await manage.data(other, prompt.id)).pinned is None
    (unchanged,) = await service.list_prompts()
    assert unchanged.text == SHARED.text  # the pack's text is everyone's
    clock.advance(timedelta(hours=1))
    await service.post_due()
    assert [m.message.text for m in platform.messages] == [SHARED.variants[1]]
    entries = (await service.audit_trail(Access(store)).page(acme)).entries
    assert [e.action for e in entries] == ["prompt.promote"]
    assert (await service.audit_trail(Access(store)).page(other)).entries == ()


async def test_promoting_an_own_prompt_makes_it_the_main_text(store: UnitOfWorkFactory) -> None:
    clock = FrozenClock(START)
    service, _ = _service(store, clock, Always(0))
    manage, acme, other = await _managers(store, service)
    own = PromptDraft(
        "custom/tea", "Which tea do you brew on a grey day?", "food",
        variants=("Grey day: which tea do you brew?",),
    )  # fmt: skip
    (prompt,) = await service.add_prompts([own], PromptSource.CUSTOM, acme.community.id)
    with pytest.raises(CommandError, match=f"no prompt with id {prompt.id}"):
        await manage.promote(other, prompt.id, "B")  # another community's: not found
    with pytest.raises(CommandError, match="'D' is not one of A, B"):
        await manage.promote(acme, prompt.id, "D")
    member = await Access(store).caller(_inv("T1", "U5", admin=False))
    with pytest.raises(CommandError):
        await manage.promote(member, prompt.id, "B")
    await manage.promote(acme, prompt.id, "B")
    async with store() as u:
        stored = await u.prompts.get(prompt.id)
    assert stored is not None
    assert (stored.text, stored.variants) == (own.variants[0], (own.text,))
    assert stored.status is PromptStatus.ACTIVE


async def test_a_prompt_with_one_wording_has_nothing_to_promote(
    store: UnitOfWorkFactory,
) -> None:
    clock = FrozenClock(START)
    service, _ = _service(store, clock, Always(0))
    await service.sync_library([PromptDraft("p/one", "What is the best sound?", "small-joys")])
    manage, acme, _ = await _managers(store, service)
    (prompt,) = await service.list_prompts()
    with pytest.raises(CommandError, match="one wording only"):
        await manage.promote(acme, prompt.id, "A")
