"""OAuth mode: the member who installed Tigerbird gets the review DMs, so the core counts them
as a manager too (a plain member of the same workspace is still refused)."""

from __future__ import annotations

from adapters.slack import SlackAdapter
from tests.slack.fake_slack import FakeSlack
from tests.slack.fake_slack_methods import Team
from tests.slack.slack_requests import as_form, post_signed, slash_command
from tests.slack.slack_stack import FORM, SECRET, settle
from tests.slack.test_slack_oauth import install, oauth_app

__all__ = ["oauth_app"]  # the fixture, shared with test_slack_oauth


async def command(fake: FakeSlack, base: str, user: str, text: str) -> str:
    key = f"r{len(fake.responses)}"
    fields = slash_command("T2", "C2", user, text, f"{fake.base_url}/response/{key}")
    status, _ = await post_signed(f"{base}/slack/events", as_form(fields), FORM, SECRET)
    await settle()
    assert status == 200
    [answer] = [r for r in fake.responses if r["key"] == key]
    return str(answer["text"])


async def test_the_installer_who_gets_the_review_dms_may_decide(
    fake_slack: FakeSlack, oauth_app: tuple[str, SlackAdapter]
) -> None:
    base, adapter = oauth_app
    fake_slack.oauth_codes["code-9"] = Team("T2", "xoxb-T2-installed", "UBOT2", "BBOT2")
    fake_slack.add_user("UINSTALLER", "T2")  # not a workspace admin
    fake_slack.add_user("UPLAIN", "T2")
    fake_slack.add_channel("C2", "T2", members={"UBOT2"})
    assert await install(base, "code-9") == 200

    suggested = await command(fake_slack, base, "UPLAIN", "suggest Which song lifts your day?")
    assert suggested.startswith("Thanks!")
    [review] = [m for m in fake_slack.channels["DUINSTALLER"].messages if m["blocks"]]
    assert "Which song lifts your day?" in review["text"]
    assert await adapter.platform.managers("T2") == ["UINSTALLER"]

    listed = await command(fake_slack, base, "UINSTALLER", "pending")
    refused = await command(fake_slack, base, "UPLAIN", "pending")

    assert listed.startswith("1 waiting for review") and "Which song lifts your day?" in listed
    assert refused.startswith("Only the community's managers")
    prompt_id = listed.split("\n")[1].split()[0].lstrip("#")
    approved = await command(fake_slack, base, "UINSTALLER", f"approve {prompt_id}")
    assert approved.startswith("Approved")
