"""`/tigerbird stats wordings <id>` and `/tigerbird promote <id> <wording>` in chat: managers
only, within the caller's community (another community's prompt reads as missing), audited."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.commands import HELP, ChatCommands
from bot.core.domain import PlatformName, PromptDraft, PromptSource
from bot.core.invocations import Invocation
from bot.testing.memory import MemoryStore
from bot.testing.platform import FrozenClock
from tests.helpers import make_service

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OWN = PromptDraft(
    "custom/tea", "Which tea do you brew on a grey day?", "food",
    variants=("Grey day: which tea do you brew?",),
)  # fmt: skip


def _inv(community: str = "T1", admin: bool = True, member: str = "U1") -> Invocation:
    return Invocation(PlatformName.SLACK, community, "C1", member, admin)


async def _setup() -> tuple[ChatCommands, int]:
    service, _ = make_service(MemoryStore(), FrozenClock(MONDAY_8))
    acme = await service.ensure_community(PlatformName.SLACK, "T1", "Acme")
    await service.ensure_community(PlatformName.SLACK, "T2", "Other")
    (prompt,) = await service.add_prompts([OWN], PromptSource.CUSTOM, acme.id)
    return ChatCommands(service, "UTC"), prompt.id


async def test_stats_wordings_lists_each_wording_and_the_verdict() -> None:
    commands, prompt_id = await _setup()
    reply = await commands.run(_inv(), f"stats wordings {prompt_id}")
    assert not reply.refused
    assert reply.text.splitlines() == [
        f"*Wordings of prompt #{prompt_id}, in this community:*",
        f"A: “{OWN.text}” — 0× · no closed post yet",
        f"B: “{OWN.variants[0]}” — 0× · no closed post yet",
        "No wording is credibly better yet (none is best in 95 % of draws).",
    ]
    bad = await commands.run(_inv(), "stats wordings twelve")
    assert (
        bad.refused and bad.text == "stats wordings: the prompt id must be a number, not 'twelve'"
    )


async def test_promote_is_scoped_to_the_community_and_audited() -> None:
    commands, prompt_id = await _setup()
    elsewhere = await commands.run(_inv("T2"), f"promote {prompt_id} B")
    assert elsewhere.refused and elsewhere.text == f"no prompt with id {prompt_id}"
    member = await commands.run(_inv(admin=False, member="U7"), f"promote {prompt_id} B")
    assert member.refused and member.text.startswith("Only the community's managers")
    missing = await commands.run(_inv(), f"promote {prompt_id}")
    assert missing.refused and "give a prompt id and a wording" in missing.text
    done = await commands.run(_inv(), f"promote {prompt_id} B")
    assert not done.refused
    assert done.text == (
        f"Wording B is now the main text of prompt #{prompt_id}: “{OWN.variants[0]}”."
    )
    (prompt,) = [p for p in await commands.service.list_prompts() if p.id == prompt_id]
    assert (prompt.text, prompt.variants) == (OWN.variants[0], (OWN.text,))
    caller = await commands.access.caller(_inv())
    entries = (await commands.audit.page(caller)).entries
    assert [e.action for e in entries] == ["prompt.promote"]


def test_help_names_the_wording_commands() -> None:
    assert "`stats wordings <id>`" in HELP and "`promote <id> <A|B|C>`" in HELP
