"""The dashboard's part of library health: a manager edits a waiting suggestion on the
Suggestions page (linted, audited, another community's id is a 404), anonymous suggestions
hide the suggester, and the Overview shows each channel's days left (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.core.domain import PlatformName, PromptDraft, PromptSource, PromptStatus, ScheduleSpec
from bot.core.library_health import LibraryHealthSettings
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from tests.web.test_manage_pages import ADMIN, LIBRARY, SQL, _community, _post, _standings
from tests.web.web_stack import web_stack


@SQL
async def test_a_manager_edits_a_waiting_suggestion(store: UnitOfWorkFactory) -> None:
    async with web_stack(store, {PlatformName.SLACK: _standings()}) as stack:
        cid, other = await _community(stack), await _community(stack, "T2")
        async with store() as u:
            mine = await u.prompts.add(
                PromptDraft("s/1", "What did a failure teach you?", "team-community"),
                PromptSource.SUGGESTED, PromptStatus.PENDING, cid, "U5",
            )  # fmt: skip
            theirs = await u.prompts.add(
                PromptDraft("s/2", "Which snack is best?", "food"),
                PromptSource.SUGGESTED, PromptStatus.PENDING, other, "U6",
            )  # fmt: skip
            await u.commit()
        await stack.sign_in(ADMIN, ["T1"])
        page = f"/c/{cid}/suggestions"
        assert "suggested by U5" in await (await stack.client.get(page)).text()
        edit = {"text": "What did a <b>mistake</b> teach you?", "category": "work-craft"}
        status, text = await _post(stack, f"{page}/{mine.id}/edit", edit, page)
        assert status == 200 and "Suggestion edited" in text
        assert "&lt;b&gt;mistake&lt;/b&gt;" in text and "<b>mistake" not in text
        status, text = await _post(
            stack, f"{page}/{mine.id}/edit", {"text": "Buy our new feature today!"}, page
        )
        assert status == 400 and "can&#39;t be used" in text.replace("&#x27;", "&#39;")
        status, _ = await _post(stack, f"{page}/{theirs.id}/edit", {"text": "Mine now?"}, page)
        assert status == 404
        async with store() as u:
            untouched = await u.prompts.get(theirs.id)
            edited = await u.prompts.get(mine.id)
            entries = (await u.audit.page(cid, 10)).entries
        assert untouched is not None and untouched.text == "Which snack is best?"
        assert edited is not None and edited.category == "work-craft"
        assert [e.action for e in entries] == ["suggestion.edit"]
        await stack.service.update_health_settings(
            cid, LibraryHealthSettings(anonymous_suggestions=True)
        )
        text = await (await stack.client.get(page)).text()
        assert "suggested by someone" in text and "U5" not in text


@SQL
async def test_overview_shows_days_left(store: UnitOfWorkFactory) -> None:
    async with web_stack(store, {PlatformName.SLACK: _standings()}) as stack:
        await stack.service.add_prompts(LIBRARY)
        cid = await _community(stack)
        await stack.service.add_schedule(
            PlatformName.SLACK, "T1", NewSchedule(cid, "C1", ScheduleSpec())
        )
        await stack.sign_in(ADMIN, ["T1"])
        text = await (await stack.client.get(f"/c/{cid}")).text()
        assert "Days left" in text
        assert "3 days before repeats (shortest categories: this-or-that (1), small-joys (2))" in (
            text
        )
