"""Changes made through chat commands land in the community's audit log (who, what, when);
reads and refused commands do not. On the memory store, SQLite and PostgreSQL."""

from __future__ import annotations

from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName
from bot.core.invocations import Invocation
from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.conftest import START
from tests.helpers import drafts, make_service


def _inv(member: str, admin: bool, community: str = "T1") -> Invocation:
    return Invocation(PlatformName.SLACK, community, "C1", member, admin)


async def test_chat_changes_are_audited(store: UnitOfWorkFactory) -> None:
    service, _ = make_service(store, FrozenClock(START))
    await service.sync_library(drafts(10))
    commands = ChatCommands(service, "UTC")
    manager, member = _inv("U1", True), _inv("U2", False)
    for inv, text in [
        (manager, "here 09:00 Europe/Paris mon-fri"),
        (manager, "preview 2"),  # a read
        (member, "pause"),  # refused
        (manager, "pause"),
        (manager, "settings"),  # a read
        (manager, "settings catch-up all"),
        (member, "suggest What is your favourite <b>tiger</b> fact?"),
        (_inv("U9", True, "T2"), "here 10:00"),  # another community
    ]:
        await commands.run(inv, text)
    caller = await commands.access.caller(manager)
    page = await commands.audit.page(caller)
    assert [(e.actor, e.action) for e in page.entries] == [
        ("slack:U2", "chat.suggest"),
        ("slack:U1", "chat.settings"),
        ("slack:U1", "chat.pause"),
        ("slack:U1", "chat.here"),
    ]
    assert page.entries[0].detail == (
        "/tigerbird suggest What is your favourite <b>tiger</b> fact? (in channel C1)"
    )
    assert all(e.at == START for e in page.entries)
