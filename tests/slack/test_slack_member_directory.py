"""The member directory: the list first, users.info only for whom it does not know, failures
leave a user unknown (a member) to be asked again, and a bot is reconciled once."""

from __future__ import annotations

from typing import Any

from adapters.slack.members import MemberDirectory
from bot.core.ports import PlatformError


class FakeUsers:
    """users.list / users.info of one workspace, recording each call."""

    def __init__(self, listed: dict[str, bool], others: dict[str, bool]) -> None:
        self.listed, self.others = listed, others
        self.calls: list[tuple[str, str]] = []
        self.down = False

    async def call(self, team: str, method: str, **params: Any) -> Any:
        self.calls.append((team, method))
        if self.down:
            raise PlatformError("Slack unreachable", code="connection")
        if method == "users_list":
            return {"members": [{"id": u, "is_bot": b} for u, b in self.listed.items()]}
        if params["user"] not in self.others:
            raise PlatformError("no such user", code="user_not_found")
        return {"user": {"id": params["user"], "is_bot": self.others[params["user"]]}}


class Reconciled:
    def __init__(self) -> None:
        self.bots: list[tuple[str, str]] = []

    async def __call__(self, team: str, user: str) -> None:
        self.bots.append((team, user))


async def test_users_the_list_lacks_are_asked_one_by_one() -> None:
    web = FakeUsers({"UPERSON": False, "ULISTEDBOT": True}, {"UNEWBOT": True})
    reconciled = Reconciled()
    directory = MemberDirectory(web, reconciled)

    for user in ("UPERSON", "ULISTEDBOT", "UNEWBOT", "UGONE"):
        directory.recorded("T1", user)
    await directory.settled()

    assert web.calls == [("T1", "users_list"), ("T1", "users_info"), ("T1", "users_info")]
    assert reconciled.bots == [("T1", "ULISTEDBOT"), ("T1", "UNEWBOT")]
    assert directory.known_bot("T1", "UNEWBOT") and not directory.known_bot("T1", "UGONE")
    assert not directory.known_bot("T2", "UNEWBOT")  # learned per workspace


async def test_a_known_user_is_not_asked_again() -> None:
    web = FakeUsers({"UPERSON": False}, {})
    directory = MemberDirectory(web, Reconciled())
    directory.recorded("T1", "UPERSON")
    await directory.settled()
    directory.recorded("T1", "UPERSON")
    await directory.settled()
    assert web.calls == [("T1", "users_list")]


async def test_when_slack_cannot_answer_the_user_stays_a_member_and_is_asked_again() -> None:
    web = FakeUsers({}, {"UBOT": True})
    reconciled = Reconciled()
    directory = MemberDirectory(web, reconciled, list_ttl=0.0)
    web.down = True
    directory.recorded("T1", "UBOT")
    await directory.settled()
    assert reconciled.bots == [] and not directory.known_bot("T1", "UBOT")

    web.down = False
    directory.recorded("T1", "UBOT")
    await directory.settled()
    assert reconciled.bots == [("T1", "UBOT")] and directory.known_bot("T1", "UBOT")


async def test_an_event_recorded_while_a_bot_was_learned_is_removed_again() -> None:
    web = FakeUsers({"UBOT": True}, {})
    reconciled = Reconciled()
    directory = MemberDirectory(web, reconciled)
    directory.recorded("T1", "UBOT")
    await directory.settled()
    directory.recorded("T1", "UBOT")  # checked before the bot was known, recorded after
    await directory.settled()
    assert reconciled.bots == [("T1", "UBOT"), ("T1", "UBOT")]
    assert web.calls == [("T1", "users_list")]
