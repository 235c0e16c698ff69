"""A suggestion's review DM goes to every manager: one who cannot be reached (left the
workspace) does not keep it from the others."""

from __future__ import annotations

from dataclasses import replace

from bot.core.domain import PlatformName
from tests.slack.slack_stack import Stack


async def test_an_unreachable_manager_does_not_stop_the_review_reaching_the_others(
    stack: Stack,
) -> None:
    service = stack.core.service
    community = await service.ensure_community(PlatformName.SLACK, "T1")
    await service.update_community(replace(community, manager_ids=("UGONE",)))

    answer = await stack.command("UMEMBER", "suggest Which smell takes you back to childhood?")

    assert answer["text"].startswith("Thanks!")
    opened = [c.params.get("users") for c in stack.fake.calls_to("conversations.open")]
    assert opened[:2] == ["UGONE", "UCONFIGURED"]
    [review] = [m for m in stack.fake.channels["DUCONFIGURED"].messages if m["blocks"]]
    assert "Which smell takes you back" in review["text"]
