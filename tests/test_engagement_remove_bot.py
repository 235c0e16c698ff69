"""A member later known to be a bot: what they were recorded doing in that community goes, the
posts they answered are measured again, and nothing of another community changes."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.domain import PlatformName, ReactionAdded, ReplyPosted
from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.scale.ingest import SLOT, seed_posts

D = PlatformName.DISCORD
AT = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)


async def test_remove_bot_undoes_its_responses_and_resets_the_outcome(
    store: UnitOfWorkFactory,
) -> None:
    service, _ = make_service(store, FrozenClock(SLOT))
    await seed_posts(service, 2)
    await service.handle_events(
        [
            ReactionAdded(D, "G1", "C0", "M0", "ubot", "🐯", AT),
            ReplyPosted(D, "G1", "C1", "T1", "ubot", AT),
            ReactionAdded(D, "G1", "C0", "M0", "uperson", "🐯", AT),
        ]
    )
    async with store() as u:
        [first, second] = sorted(await u.posts.all(), key=lambda p: p.id)
        first.responders, first.audience, first.outcome_at = 2, 2, AT
        await u.posts.update(first)
        await u.commit()

    changed = await service.remove_bot(D, "G1", "ubot")
    unknown_community = await service.remove_bot(D, "G404", "uperson")

    assert (changed, unknown_community) == (2, 0)
    person = service.members.key(D, "uperson")
    async with store() as u:
        assert [m for m, *_ in await u.responses.for_post(first.id)] == [person]
        assert await u.responses.for_post(second.id) == []
        reset = await u.posts.get(first.id)
        community = await u.communities.find(D, "G1")
        assert community is not None
        audience = await u.activity.audience(community.id, "C0", SLOT)
    assert reset is not None and (reset.responders, reset.audience, reset.outcome_at) == (
        None,
        None,
        None,
    )
    assert audience == 1  # the bot no longer counts among the channel's active members
