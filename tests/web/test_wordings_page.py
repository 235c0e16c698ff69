"""The dashboard prompt page of a prompt with variants: each wording's record and verdict, a
Promote button per wording (CSRF-protected, audited), another community's prompt a 404."""

from __future__ import annotations

import pytest

from bot.core.authz import Person
from bot.core.domain import PlatformName, PromptDraft, PromptSource
from bot.core.ports import Standing, UnitOfWorkFactory
from bot.testing.standings import FakeStandings
from tests.web.web_stack import web_stack

ADMIN = Person(PlatformName.SLACK, "UADMIN", "Ada")
SQL = pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
OWN = PromptDraft(
    "custom/tea", "Which tea do you brew on a <b>grey</b> day?", "food",
    variants=("Grey day: which <i>tea</i> do you brew?",),
)  # fmt: skip


@SQL
async def test_prompt_page_shows_wordings_and_promotes(store: UnitOfWorkFactory) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store, {PlatformName.SLACK: standings}) as stack:
        acme = await stack.service.ensure_community(PlatformName.SLACK, "T1", "T1")
        other = await stack.service.ensure_community(PlatformName.SLACK, "T2", "T2")
        (mine,) = await stack.service.add_prompts([OWN], PromptSource.CUSTOM, acme.id)
        (theirs,) = await stack.service.add_prompts(
            [PromptDraft("custom/x", "Which song do you hum most?", "small-joys",
                         variants=("What song do you hum most?",))],
            PromptSource.CUSTOM, other.id,
        )  # fmt: skip
        await stack.sign_in(ADMIN, ["T1"])
        page = f"/c/{acme.id}/library/{mine.id}"
        text = await (await stack.client.get(page)).text()
        assert "Wordings (A/B test)" in text and "No wording is credibly better yet" in text
        assert "Grey day: which &lt;i&gt;tea&lt;/i&gt; do you brew?" in text
        assert "<i>tea</i>" not in text
        no_token = await stack.client.post(f"{page}/wordings/B", allow_redirects=False)
        assert no_token.status == 403
        token = await stack.csrf(page)
        elsewhere = await stack.client.post(
            f"/c/{acme.id}/library/{theirs.id}/wordings/B", data={"csrf_token": token}
        )
        assert elsewhere.status == 404
        bad = await stack.client.post(f"{page}/wordings/Q", data={"csrf_token": token})
        assert bad.status == 400 and "wording: &#39;Q&#39; is not one of A, B" in (
            await bad.text()
        ).replace("&#x27;", "&#39;")
        done = await stack.client.post(f"{page}/wordings/B", data={"csrf_token": token})
        text = await done.text()
        assert done.status == 200 and "Wording promoted." in text
        assert "<dd>Grey day: which &lt;i&gt;tea&lt;/i&gt; do you brew?</dd>" in text
        async with store() as u:
            entries = await u.audit.page(acme.id, 10, None)
        assert [e.action for e in entries.entries] == ["prompt.promote"]
