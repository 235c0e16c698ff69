"""The Schedules, Library, Suggestions and Analytics pages over HTTP: they act through the
scoped, audited use cases, escape every text, answer 404 for another community's ids and 403
for a POST without the CSRF token (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from aiohttp import FormData

from bot.core.authz import Person
from bot.core.domain import PlatformName, PromptDraft, PromptSource, PromptStatus
from bot.core.ports import Standing, UnitOfWorkFactory
from bot.testing.standings import FakeStandings
from tests.conftest import START
from tests.web.web_stack import WebStack, web_stack

ADMIN = Person(PlatformName.SLACK, "UADMIN", "Ada")
SQL = pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
LIBRARY = [
    PromptDraft("shared/1", "Would you rather be a tiger or a bluebird for a day?", "this-or-that"),
    PromptDraft("shared/2", "What is the best sound in the morning?", "small-joys"),
    PromptDraft("shared/3", "Which snack would you share with a tiger?", "small-joys"),
]


def _standings() -> FakeStandings:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    return standings


async def _community(stack: WebStack, external: str = "T1") -> int:
    community = await stack.service.ensure_community(PlatformName.SLACK, external, external)
    return community.id


async def _post(stack: WebStack, path: str, form: dict[str, str], page: str) -> tuple[int, str]:
    data = {**form, "csrf_token": await stack.csrf(page)}
    response = await stack.client.post(path, data=data)
    return response.status, await response.text()


@SQL
async def test_schedules_page_adds_previews_pauses_and_scopes(store: UnitOfWorkFactory) -> None:
    async with web_stack(store, {PlatformName.SLACK: _standings()}) as stack:
        await stack.service.add_prompts(LIBRARY)
        cid, other = await _community(stack), await _community(stack, "T2")
        await stack.sign_in(ADMIN, ["T1"])
        page = f"/c/{cid}/schedules"
        bad = {"channel": "C1", "times": "09:00", "timezone": "Mars/Base"}
        status, text = await _post(stack, page, bad, page)
        assert status == 400 and "timezone: &#39;Mars/Base&#39; is not" in text.replace(
            "&#x27;", "&#39;"
        )
        form = {
            "channel": "C1",
            "times": "09:00",
            "timezone": "Europe/Paris",
            "rhythm": "days",
            "days": "mon-fri",
            "catch_up": "latest",
            "repeat_window": "60",
        }
        status, text = await _post(stack, page, form, page)
        assert status == 200 and "Schedule added." in text
        assert "Preview: the next 7 slots" in text
        assert (
            text.count("<td>Would you rather")
            + text.count("<td>What is")
            + text.count("<td>Which snack")
            == 3
        )  # three prompts, then nothing is eligible in the repeat window
        found = re.search(r"\(schedule (\d+)\)", text)
        assert found is not None
        schedule_id = int(found.group(1))
        detail = f"{page}/{schedule_id}"
        status, text = await _post(stack, f"{detail}/pause", {}, detail)
        assert status == 200 and "Paused." in text
        assert (await stack.client.get(f"/c/{other}/schedules/{schedule_id}")).status == 404
        assert (await stack.client.get(f"{page}/{schedule_id + 1000}")).status == 404
        refused = await stack.client.post(f"{detail}/resume", data={}, allow_redirects=False)
        assert refused.status == 403
        listing = await (await stack.client.get(page)).text()
        assert "Paused" in listing and "#C1" in listing
        async with store() as u:
            actions = [e.action for e in (await u.audit.page(cid, 10)).entries]
        assert actions == ["schedule.pause", "schedule.add"]


@SQL
async def test_library_page_escapes_searches_imports_and_exports(store: UnitOfWorkFactory) -> None:
    async with web_stack(store, {PlatformName.SLACK: _standings()}) as stack:
        await stack.service.add_prompts(LIBRARY)
        cid = await _community(stack)
        await stack.sign_in(ADMIN, ["T1"])
        page = f"/c/{cid}/library"
        form = {
            "text": "Which <script>alert(1)</script> song do you hum?",
            "category": "small-joys",
        }
        status, text = await _post(stack, page, form, page)
        assert status == 200 and "Prompt added" in text
        assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
        found = await (await stack.client.get(page, params={"q": "HUM"})).text()
        assert "&lt;script&gt;alert(1)&lt;/script&gt; song" in found and "bluebird" not in found
        bad = FormData()
        bad.add_field("csrf_token", await stack.csrf(page))
        bad.add_field(
            "file",
            b"text,category\nA fine question for all of us?,small-joys\nAnother one?,nope\n",
            filename="team.csv",
            content_type="text/csv",
        )
        response = await stack.client.post(f"{page}/import", data=bad)
        text = await response.text()
        assert response.status == 400 and "Nothing was imported" in text
        assert "<code>team.csv:3: category:" in text
        exported = await (await stack.client.get(f"{page}/export.csv")).text()
        assert exported.splitlines()[0] == "text,category,tags,variants"
        assert (
            "Which <script>alert(1)</script> song do you hum?" in exported
        )  # raw: a machine format
        no_token = await stack.client.post(page, data=form, allow_redirects=False)
        assert no_token.status == 403


@SQL
async def test_suggestions_page_warns_approves_and_rejects(store: UnitOfWorkFactory) -> None:
    async with web_stack(store, {PlatformName.SLACK: _standings()}) as stack:
        await stack.service.add_prompts(LIBRARY)
        cid = await _community(stack)
        async with store() as u:
            near = await u.prompts.add(
                PromptDraft(
                    "s/1", "Would you rather be a tiger or a bluebird for one day?", "this-or-that"
                ),
                PromptSource.SUGGESTED,
                PromptStatus.PENDING,
                cid,
                "U5",
            )
            fresh = await u.prompts.add(
                PromptDraft("s/2", "What did a <b>failure</b> teach you?", "team-community"),
                PromptSource.SUGGESTED,
                PromptStatus.PENDING,
                cid,
                "U6",
            )
            await u.commit()
        await stack.sign_in(ADMIN, ["T1"])
        page = f"/c/{cid}/suggestions"
        text = await (await stack.client.get(page)).text()
        assert "Close to a prompt already in the library" in text
        assert "&lt;b&gt;failure&lt;/b&gt;" in text
        status, text = await _post(
            stack, f"{page}/{near.id}/reject", {"reason": "we have it"}, page
        )
        assert status == 200 and "Rejected" in text
        status, text = await _post(stack, f"{page}/{fresh.id}/approve", {}, page)
        assert status == 200 and "Approved" in text and "No suggestion is waiting" in text
        async with store() as u:
            entries = (await u.audit.page(cid, 10)).entries
        assert [e.action for e in entries] == ["suggestion.approve", "suggestion.reject"]
        assert "(we have it)" in entries[1].detail


@SQL
async def test_analytics_page_chart_and_csv(store: UnitOfWorkFactory) -> None:
    async with web_stack(store, {PlatformName.SLACK: _standings()}) as stack:
        cid = await _community(stack)
        await stack.sign_in(ADMIN, ["T1"])
        text = await (await stack.client.get(f"/c/{cid}/analytics?period=90d")).text()
        assert f'src="/c/{cid}/analytics/chart.png?period=90d"' in text
        assert 'alt="Chart: the best prompts' in text
        chart = await stack.client.get(f"/c/{cid}/analytics/chart.png?period=90d")
        assert chart.content_type == "image/png" and (await chart.read()).startswith(b"\x89PNG")
        table = await (await stack.client.get(f"/c/{cid}/analytics.csv")).text()
        assert table.startswith("prompt_id,prompt,category,times_posted")
        assert (await stack.client.get(f"/c/{cid}/analytics?period=7y")).status == 400


@SQL
async def test_a_setting_changed_in_the_page_shows_in_the_audit_log(
    store: UnitOfWorkFactory,
) -> None:
    async with web_stack(store, {PlatformName.SLACK: _standings()}) as stack:
        cid = await _community(stack)
        await stack.sign_in(ADMIN, ["T1"])
        page = f"/c/{cid}/settings"
        form = {
            "part": "community",
            "managers": "U0123ABCD",
            "manager-roles": "",
            "review-channel": "off",
        }
        status, _ = await _post(stack, page, form, page)
        assert status == 200
        for n in range(55):
            async with store() as u:
                await u.audit.add(cid, "slack:U8", "chat.pause", f"old <{n}>", START)
                await u.commit()
        text = await (await stack.client.get(f"/c/{cid}/audit")).text()
        assert "&lt;54&gt;" in text and "Older changes" in text
        older = re.search(r'href="(/c/\d+/audit\?before=\d+)"', text)
        assert older is not None
        rest = await (await stack.client.get(older.group(1))).text()
        assert "settings.change" in rest and "community: managers = U0123ABCD" in rest
        assert "slack:UADMIN" in rest and "&lt;54&gt;" not in rest
