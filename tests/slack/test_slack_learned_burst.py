"""Slack's burst is learned from its own answers: a 429 halves the burst of that workspace's
method and holds its bucket for Retry-After; the call is retried through the pacer, the
choice reaction is not given up, and a complete post can be finished later."""

from __future__ import annotations

import pytest

from adapters.slack.platform import SlackPlatform
from adapters.slack.rate_buckets import SlackPacing, SlackRates
from bot.core.domain import Choice, Target
from bot.core.ports import IncompletePost, PromptMessage
from tests.slack.fake_slack import FakeSlack

PROMPT = PromptMessage("Cats or dogs?", "pets", "m1", (Choice("🐱", "Cats"), Choice("🐶", "Dogs")))
TIER_3_BURST = 50 - SlackRates().burst_margin


async def test_a_429_on_a_reaction_halves_its_burst_and_the_reaction_still_lands(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    fake_slack.fail("reactions.add", status=429, retry_after=1)

    target = await platform.post("T1", "CGENERAL", PROMPT)
    await platform.drain()

    assert fake_slack.posts("CGENERAL")[0]["reactions"] == ["cat", "dog"]
    assert len(fake_slack.calls_to("reactions.add")) == 3  # one refused, retried once
    pacing = platform.pacing
    assert isinstance(pacing, SlackPacing)
    assert pacing.learned_bursts == {("reactions_add", "T1"): TIER_3_BURST / 2}
    assert pacing.refusals.total == 1
    assert target.message_id == fake_slack.posts("CGENERAL")[0]["ts"]
    assert platform.reactions_given_up == 0


async def test_the_learned_burst_outlives_the_idle_bucket_and_halves_again() -> None:
    pacing = SlackPacing()
    await pacing.before("T1", "reactions_add", "C1")
    await pacing.refused("T1", "reactions_add", "C1", 0)
    pacing.pacers.sweep(1e12)  # the idle bucket is dropped ...
    assert pacing.pacers.get(("reactions_add", "T1")) is None
    await pacing.before("T1", "reactions_add", "C1")
    made = pacing.pacers.get(("reactions_add", "T1"))
    assert made is not None and made.burst == TIER_3_BURST / 2  # ... not what it learned
    await pacing.refused("T1", "reactions_add", "C1", 0)
    assert made.burst == TIER_3_BURST / 4
    assert pacing.learned_bursts.get(("reactions_add", "T2")) is None  # per workspace


async def test_complete_post_adds_the_missing_reactions_and_says_which_failed(
    fake_slack: FakeSlack, platform: SlackPlatform
) -> None:
    posted = await platform.post("T1", "CGENERAL", PromptMessage("Q", "pets", "m2"))
    target = Target("CGENERAL", posted.message_id)

    assert await platform.complete_post("T1", target, PROMPT) == target
    assert fake_slack.posts("CGENERAL")[0]["reactions"] == ["cat", "dog"]
    assert await platform.complete_post("T1", target, PROMPT) == target  # already there

    fake_slack.fail("reactions.add", error="no_permission", times=2)
    with pytest.raises(IncompletePost) as raised:
        await platform.complete_post("T1", target, PROMPT)
    assert raised.value.permanent and raised.value.missing == ("reaction 🐱", "reaction 🐶")
