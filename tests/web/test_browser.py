"""End to end in a real headless Chromium: sign in with Slack and with Discord (against the
fakes) → see only one's own communities → change a setting → see it in the audit log → sign
out; another tenant's URL → 404; a POST without the CSRF token → 403; a member who is not a
manager → no community. Screenshots at 1280 and 390 px go to artifacts/web/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from adapters.web.config import OAuthClient
from bot.core.domain import PlatformName, ReactionAdded, ReplyPosted, ScheduleSpec
from bot.core.ports import NewSchedule, Standings, UnitOfWorkFactory
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.discord.fake_discord import FakeDiscord
from tests.helpers import drafts
from tests.slack.fake_slack import FakeSlack
from tests.web.browser import chromium, shoot
from tests.web.people import GUILD, MEMBER, MODERATOR, OTHER_GUILD
from tests.web.web_stack import WebStack, web_stack


@pytest.fixture
async def sql_store(sqlite_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(sqlite_url)
    yield SqlUnitOfWorkFactory(make_sessions(engine))
    await engine.dispose()


async def populated(stack: WebStack) -> dict[str, int]:
    """Both platforms' communities, each with a schedule; Tiger Team's has a post with a
    reaction and a reply."""
    await stack.service.sync_library(drafts(12))
    ids = {}
    for platform, external, name, channel in (
        (PlatformName.SLACK, "T1", "Tiger Team", "CGENERAL"),
        (PlatformName.SLACK, "T2", "Other Workspace", "COTHER"),
        (PlatformName.DISCORD, str(GUILD), "Tiger Server", "4242"),
        (PlatformName.DISCORD, str(OTHER_GUILD), "Other Server", "4343"),
    ):
        spec = ScheduleSpec(timezone="Europe/Paris")
        schedule, _ = await stack.service.add_schedule(
            platform, external, NewSchedule(0, channel, spec), name
        )
        ids[name] = schedule.community_id
        if name == "Tiger Team":
            post = await stack.service.post_now(schedule.id)
            assert post is not None and post.message_id
            at = stack.service.clock.now() + timedelta(minutes=7)
            await stack.service.handle_events(
                [
                    ReactionAdded(platform, external, channel, post.message_id, "U1", "🐯", at),
                    ReplyPosted(platform, external, channel, post.message_id, "U2", at),
                ]
            )
    return ids


async def fits_a_phone(page: Page) -> None:
    """At 390 px nothing but the tables' own scrolling boxes is wider than the screen."""
    await page.set_viewport_size({"width": 390, "height": 900})
    width = await page.evaluate("document.documentElement.scrollWidth")
    wide = await page.evaluate(
        """[...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > 391)
             .slice(0, 5).map(e => e.outerHTML.slice(0, 80))"""
    )
    assert width <= 390, f"{page.url} is {width}px wide on a 390px phone: {wide}"
    await page.set_viewport_size({"width": 1280, "height": 900})


async def change_a_setting_and_see_it_audited(page: Page, prefix: str) -> None:
    await page.get_by_role("link", name="Settings").click()
    await expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    await page.get_by_label("Repeat window").fill("30")
    await page.get_by_label("Open a thread on each prompt").uncheck()
    await page.get_by_role("button", name="Save channel settings").click()
    await expect(page.get_by_role("status")).to_contain_text("thread, repeat-window")
    await shoot(page, f"{prefix}-settings")
    await fits_a_phone(page)
    await page.get_by_role("link", name="Audit log").click()
    log = page.get_by_role("table")
    await expect(log).to_contain_text("repeat-window")
    await expect(log).to_contain_text("thread")
    await shoot(page, f"{prefix}-audit")


async def test_a_slack_admin_steers_their_workspace_in_the_browser(
    sql_store: UnitOfWorkFactory,
    fake_slack: FakeSlack,
    standings: dict[PlatformName, Standings],
    slack_client: OAuthClient,
    discord_client: OAuthClient,
    tmp_path: Path,
) -> None:
    async with (
        web_stack(sql_store, standings, slack=slack_client, discord=discord_client) as stack,
        chromium(tmp_path / "profile") as browser,
    ):
        ids = await populated(stack)
        base = stack.dashboard.config.public_url
        fake_slack.sign_in_as = "UADMIN"
        page = await browser.new_page()
        await page.goto(base + "/")
        await expect(page).to_have_url(base + "/signin")
        await shoot(page, "signin")
        await page.get_by_role("link", name="Sign in with Slack").click()
        await expect(page).to_have_url(base + "/")
        mine = page.get_by_role("main").get_by_role("link")
        await expect(mine).to_have_text(["Tiger Team"])
        await shoot(page, "slack-communities")
        await page.get_by_role("link", name="Tiger Team").click()
        await expect(page.get_by_role("heading", name="Overview")).to_be_visible()
        posts = page.get_by_role("table")
        await expect(posts).to_contain_text("What small thing made you smile")
        next_slot = page.locator(".next-slot")  # local time and UTC (08:00 UTC in winter)
        await expect(next_slot).to_have_text("Tue 03 Mar 2026 09:00 Europe/Paris (Tue 08:00 UTC)")
        await shoot(page, "slack-overview")
        await fits_a_phone(page)
        for name in ("Schedules", "Library", "Suggestions", "Analytics"):  # every page renders
            await page.get_by_role("link", name=name, exact=True).click()
            await expect(page.get_by_role("heading", level=1)).to_have_text(name)
            await shoot(page, f"slack-{name.lower()}")
            await fits_a_phone(page)
        await change_a_setting_and_see_it_audited(page, "slack")
        other = await page.goto(f"{base}/c/{ids['Other Workspace']}")
        assert other is not None and other.status == 404
        await page.goto(f"{base}/c/{ids['Tiger Team']}")
        await page.get_by_role("button", name="Sign out").click()
        await expect(page).to_have_url(base + "/signin")
        await page.goto(f"{base}/c/{ids['Tiger Team']}")
        await expect(page).to_have_url(base + "/signin")


async def test_a_discord_moderator_manages_only_their_server_and_forms_need_the_token(
    sql_store: UnitOfWorkFactory,
    fake_discord: FakeDiscord,
    standings: dict[PlatformName, Standings],
    slack_client: OAuthClient,
    discord_client: OAuthClient,
    tmp_path: Path,
) -> None:
    async with (
        web_stack(sql_store, standings, slack=slack_client, discord=discord_client) as stack,
        chromium(tmp_path / "profile") as browser,
    ):
        ids = await populated(stack)
        base = stack.dashboard.config.public_url
        fake_discord.sign_ins.signing_in = MODERATOR
        page = await browser.new_page()
        await page.goto(base + "/signin")
        await page.get_by_role("link", name="Sign in with Discord").click()
        await expect(page).to_have_url(base + "/")
        await expect(page.get_by_role("main").get_by_role("link")).to_have_text(["Tiger Server"])
        await shoot(page, "discord-communities")
        await page.get_by_role("link", name="Tiger Server").click()
        await change_a_setting_and_see_it_audited(page, "discord")
        for other in ("Other Server", "Tiger Team"):
            response = await page.goto(f"{base}/c/{ids[other]}/settings")
            assert response is not None and response.status == 404
        status = await page.evaluate(
            """async (path) => (await fetch(path, {method: 'POST',
                   body: new URLSearchParams({part: 'channel', 'repeat-window': '5'})})).status""",
            f"/c/{ids['Tiger Server']}/settings",
        )
        assert status == 403
        schedules = await stack.service.list_schedules(ids["Tiger Server"])
        assert [s.repeat_window_days for s in schedules] == [30]  # the refused POST changed nothing
        await page.goto(base + "/")
        await page.get_by_role("button", name="Sign out").click()
        await expect(page).to_have_url(base + "/signin")


async def test_a_member_who_is_not_a_manager_sees_no_community(
    sql_store: UnitOfWorkFactory,
    fake_discord: FakeDiscord,
    standings: dict[PlatformName, Standings],
    discord_client: OAuthClient,
    tmp_path: Path,
) -> None:
    async with (
        web_stack(sql_store, standings, discord=discord_client) as stack,
        chromium(tmp_path / "profile") as browser,
    ):
        ids = await populated(stack)
        base = stack.dashboard.config.public_url
        fake_discord.sign_ins.signing_in = MEMBER
        page = await browser.new_page()
        await page.goto(base + "/signin")
        await page.get_by_role("link", name="Sign in with Discord").click()
        await expect(page.get_by_text("You manage no community")).to_be_visible()
        await shoot(page, "no-community")
        response = await page.goto(f"{base}/c/{ids['Tiger Server']}")
        assert response is not None and response.status == 404
