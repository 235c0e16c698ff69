"""The management pages in a real headless Chromium, without JavaScript of our own: add a
schedule and read its preview, approve and reject suggestions (with the keyboard), search the
library, read the analytics chart, and find every change in the audit log. Screenshots at
1280 and 390 px go to artifacts/web/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.core.authz import Person
from bot.core.domain import (
    PlatformName,
    PromptDraft,
    PromptSource,
    PromptStatus,
    ReactionAdded,
    ScheduleSpec,
)
from bot.core.ports import NewSchedule, Standing, UnitOfWorkFactory
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from bot.testing.standings import FakeStandings
from tests.helpers import drafts
from tests.web.browser import chromium, shoot
from tests.web.web_stack import WebStack, web_stack

ADMIN = Person(PlatformName.SLACK, "UADMIN", "Ada")


@pytest.fixture
async def sql_store(sqlite_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(sqlite_url)
    yield SqlUnitOfWorkFactory(make_sessions(engine))
    await engine.dispose()


async def _history(stack: WebStack, store: UnitOfWorkFactory) -> int:
    """Tiger Team with a week of answered posts in #CHISTORY and two suggestions waiting."""
    await stack.service.sync_library(drafts(12))
    spec = ScheduleSpec(timezone="Europe/Paris")
    schedule, _ = await stack.service.add_schedule(
        PlatformName.SLACK, "T1", NewSchedule(0, "CHISTORY", spec), "Tiger Team"
    )
    clock = stack.service.clock
    assert isinstance(clock, FrozenClock)
    for day in range(7):
        post = await stack.service.post_now(schedule.id)
        assert post is not None and post.message_id
        at = clock.now() + timedelta(minutes=5)
        await stack.service.handle_events(
            [
                ReactionAdded(PlatformName.SLACK, "T1", "CHISTORY", post.message_id, m, "🐯", at)
                for m in [f"U{n}" for n in range(1 + day % 4)]
            ]
        )
        async with store() as u:
            stored = await u.posts.get(post.id)
            assert stored is not None
            stored.responders, stored.audience = 1 + day % 4, 20
            stored.outcome_at = stored.slot_at + timedelta(days=1)
            await u.posts.update(stored)
            await u.commit()
        clock.advance(timedelta(days=1))
    clock.advance(timedelta(days=1))
    async with store() as u:
        for key, text, member in (
            ("s/1", "What small thing made you smile, number 3 today?", "U5"),
            ("s/2", "Which <b>bold</b> plan did you drop this year?", "U6"),
        ):
            await u.prompts.add(
                PromptDraft(key, text, "small-joys"),
                PromptSource.SUGGESTED,
                PromptStatus.PENDING,
                schedule.community_id,
                member,
            )
        await u.commit()
    return schedule.community_id


async def _sign_in(page: Page, stack: WebStack) -> None:
    link = stack.dashboard.links.issue(ADMIN, ("T1",))
    await page.goto(str(stack.client.make_url(link)))


async def fits_a_phone(page: Page) -> None:
    """At 390 px nothing but the tables' own scrolling boxes is wider than the screen."""
    await page.set_viewport_size({"width": 390, "height": 900})
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px phone"
    await page.set_viewport_size({"width": 1280, "height": 900})


async def snap(page: Page, name: str) -> None:
    await shoot(page, f"manage-{name}")
    await fits_a_phone(page)


async def test_manage_a_community_in_the_browser(
    sql_store: UnitOfWorkFactory, tmp_path: Path
) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(sql_store, {PlatformName.SLACK: standings}) as stack:
        cid = await _history(stack, sql_store)
        base = str(stack.client.make_url(f"/c/{cid}"))
        async with chromium(tmp_path / "profile") as context:
            page = await context.new_page()
            await _sign_in(page, stack)
            await page.goto(base)
            await page.get_by_role("link", name="Schedules").click()
            await page.get_by_label("Channel id").fill("CNEW")
            await page.get_by_label("Local times").fill("02:30")
            await page.get_by_label("Time zone").fill("Europe/Paris")
            await page.get_by_role("textbox", name="Weekdays").fill("mon-fri")
            await page.get_by_role("button", name="Add schedule").click()
            await expect(page.get_by_role("status")).to_have_text("Schedule added.")
            preview = page.get_by_role("table").filter(has_text="would get")
            await expect(preview.locator("tbody tr")).to_have_count(7)
            await expect(preview.locator("tbody tr").first).to_contain_text("02:30 CET")
            await snap(page, "schedule")

            await page.get_by_role("link", name="Suggestions").click()
            await expect(
                page.get_by_text("Close to a prompt already in the library")
            ).to_be_visible()
            await expect(
                page.get_by_role("heading", name="<b>bold</b>", exact=False)
            ).to_be_visible()
            await snap(page, "suggestions")
            first = page.get_by_role("article").filter(has_text="number 3 today")
            await first.get_by_label("Reason").fill("we have one like it")
            await first.get_by_role("button", name="Reject").click()
            await expect(page.get_by_role("status")).to_contain_text("Rejected")
            approve = page.get_by_role("article").get_by_role("button", name="Approve")
            await approve.focus()
            await page.keyboard.press("Enter")
            await expect(page.get_by_role("status")).to_contain_text("Approved")
            await expect(page.get_by_text("No suggestion is waiting for review.")).to_be_visible()

            await page.get_by_role("link", name="Library").click()
            await page.get_by_role("searchbox", name="Search text").fill("bold")
            await page.get_by_role("button", name="Search").click()
            rows = page.get_by_role("table").locator("tbody tr")
            await expect(rows).to_have_count(1)
            await expect(rows.first).to_contain_text("Which <b>bold</b> plan")
            await page.get_by_role("searchbox", name="Search text").fill("")
            await page.get_by_role("button", name="Search").click()
            await snap(page, "library")

            await page.get_by_role("link", name="Analytics").click()
            chart = page.get_by_role("img", name="Chart: the best prompts")
            await expect(chart).to_be_visible()
            drawn = "() => { const i = document.querySelector('img.chart');"
            await page.wait_for_function(drawn + " return i.complete && i.naturalWidth > 600; }")
            best = page.get_by_role("table").filter(has_text="90 % interval")
            await expect(best.locator("tbody tr").first).to_contain_text("%")
            await snap(page, "analytics")

            await page.get_by_role("link", name="Audit log").click()
            log = page.get_by_role("table").locator("tbody")
            for action in ("suggestion.approve", "suggestion.reject", "schedule.add"):
                await expect(log).to_contain_text(action)
            await expect(log.locator("tr").first).to_contain_text("slack:UADMIN")
            await snap(page, "audit")
