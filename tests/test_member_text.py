"""Member text is normalised on the way in: NUL and control characters and zero-width
characters are removed, bidirectional overrides are refused, and every command is answered
(a NUL byte used to fail on PostgreSQL with no answer)."""

from __future__ import annotations

import pytest

from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName, PromptStatus
from bot.core.invocations import Invocation
from bot.core.ports import UnitOfWorkFactory
from bot.core.text import UnsafeText, clean_member_text
from bot.testing.platform import FrozenClock
from tests.conftest import START
from tests.helpers import drafts, make_service

MEMBER = Invocation(PlatformName.SLACK, "T1", "C1", "UMEMBER", member_is_admin=False)
ADMIN = Invocation(PlatformName.SLACK, "T1", "C1", "UADMIN", member_is_admin=True)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Tea\x00 or coffee?", "Tea or coffee?"),
        ("Bell\x07 \x1b[31mred\x7f\x85 line\x9b?", "Bell [31mred\n line?"),
        ("Wi\u200bde\u200c \ufeffwor\u2060ds\u180e?", "Wide words?"),
        ("Tabs\tand\r\nlines\u2028stay?", "Tabs\tand\nlines\nstay?"),
        ("Lone \ud800surrogate?", "Lone surrogate?"),
        ("Coder 👩\u200d💻 or 👍🏽\u200d?", "Coder 👩\u200d💻 or 👍🏽?"),
        ("Plain café, 東京, مرحبا?", "Plain café, 東京, مرحبا?"),
    ],
)
def test_control_and_zero_width_characters_are_removed(raw: str, clean: str) -> None:
    assert clean_member_text(raw) == clean


def test_line_breaks_become_spaces_where_text_is_one_line() -> None:
    assert clean_member_text("one\ntwo\r\nthree", multiline=False) == "one two three"


@pytest.mark.parametrize("mark", [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))])
def test_every_bidi_override_and_isolate_is_refused(mark: str) -> None:
    with pytest.raises(UnsafeText, match="override"):
        clean_member_text(f"Which {mark}txt.exe do you open?")


async def commands_over(store: UnitOfWorkFactory) -> ChatCommands:
    service, _ = make_service(store, FrozenClock(START))
    await service.sync_library(drafts(3))
    commands = ChatCommands(service, "UTC")
    assert "Scheduled" in (await commands.run(ADMIN, "here 09:00")).text
    return commands


async def stored_texts(commands: ChatCommands) -> list[str]:
    prompts = await commands.service.list_prompts(status=None)
    return sorted(p.text for p in prompts if p.community_id is not None)


async def test_a_suggestion_with_nul_and_control_characters_is_stored_clean_and_answered(
    store: UnitOfWorkFactory,
) -> None:
    commands = await commands_over(store)

    reply = await commands.run(MEMBER, "suggest Which\x00 smell\x01 takes\u200b you back?")
    added = await commands.run(ADMIN, "add Which\x00 door\x1f would you\ufeff open?")

    assert reply.text.startswith("Thanks!") and not reply.refused
    assert added.text.startswith("Added") and not added.refused
    assert reply.review is not None and reply.review.text == "Which smell takes you back?"
    assert await stored_texts(commands) == [
        "Which door would you open?",
        "Which smell takes you back?",
    ]
    pending = await commands.access.pending(await commands.access.caller(ADMIN))
    assert [(p.text, p.status) for p in pending] == [
        ("Which smell takes you back?", PromptStatus.PENDING)
    ]


async def test_bidi_overrides_are_refused_with_a_clear_answer_and_nothing_stored(
    store: UnitOfWorkFactory,
) -> None:
    commands = await commands_over(store)
    before = await stored_texts(commands)

    for line in ("suggest Which \u202eexe.txt do you open?", "add Why \u2067isolated\u2069?"):
        reply = await commands.run(ADMIN, line)
        assert reply.refused and "override characters" in reply.text, reply.text

    rejected = await commands.run(ADMIN, "reject 1 because\u202e")
    assert rejected.refused and "override characters" in rejected.text
    assert await stored_texts(commands) == before


async def test_a_reject_reason_is_cleaned_before_it_is_sent(store: UnitOfWorkFactory) -> None:
    commands = await commands_over(store)
    suggestion = await commands.run(MEMBER, "suggest What sound means summer to you?")
    assert suggestion.review is not None

    reply = await commands.reject(ADMIN, suggestion.review.prompt_id, "too\x00 close\x07\n  sorry")

    assert reply.direct_message is not None
    assert reply.direct_message[1].endswith("was not taken: too close\n  sorry")
