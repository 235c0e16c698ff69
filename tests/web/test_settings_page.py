"""The Settings page changes what `/tigerbird settings` changes, with the same rules: a bad value
gets the same specific error and changes nothing; every change is audited (SQLite, PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.core.authz import Person
from bot.core.domain import PlatformName
from bot.core.ports import Standing, UnitOfWorkFactory
from bot.testing.standings import FakeStandings
from tests.helpers import daily
from tests.web.web_stack import WebStack, web_stack

ADMIN = Person(PlatformName.SLACK, "UADMIN", "Ada")
SQL = pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)


async def post(stack: WebStack, path: str, form: dict[str, str]) -> tuple[int, str]:
    token = await stack.csrf(path)
    response = await stack.client.post(path, data={**form, "csrf_token": token})
    return response.status, await response.text()


@SQL
async def test_a_bad_value_is_refused_with_the_chat_rule_and_changes_nothing(
    store: UnitOfWorkFactory,
) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store, {PlatformName.SLACK: standings}) as stack:
        schedule = await daily(stack.service, "C1")
        await stack.sign_in(ADMIN, ["T1"])
        path = f"/c/{schedule.community_id}/settings"
        # what the browser sends: the checked boxes (thread and streaks are on by default)
        form = {"part": "channel", "schedule": str(schedule.id), "thread": "on", "streaks": "on"}
        status, page = await post(stack, path, {**form, "pin": "on", "repeat-window": "lots"})
        assert status == 400
        assert "repeat-window: &#39;lots&#39; must be a number of days 0..3650" in page
        status, page = await post(stack, path, {**form, "categories": "food,<b>nope</b>"})
        assert status == 400 and "categories: unknown &lt;b&gt;nope&lt;/b&gt;" in page
        stored = await stack.service.get_schedule(schedule.id)
        # nothing of a refused form is stored, not even its valid fields (pin came before)
        assert (stored.pin, stored.repeat_window_days, stored.categories) == (False, 60, ())
        digest = {"digest": "on", "digest-day": "fri", "digest-time": "17:30"}
        status, page = await post(stack, path, {**form, "categories": "food, nostalgia", **digest})
        assert status == 200 and "Saved: categories, digest, digest-day, digest-time." in page
        stored = await stack.service.get_schedule(schedule.id)
        assert stored.categories == ("food", "nostalgia") and stored.digest
        assert (stored.digest_weekday, f"{stored.digest_time:%H:%M}") == (4, "17:30")
        audit = await (await stack.client.get(f"/c/{schedule.community_id}/audit")).text()
        assert "categories = food, nostalgia" in audit and "slack:UADMIN" in audit


@SQL
async def test_managers_and_the_review_channel_are_edited_as_lists(
    store: UnitOfWorkFactory,
) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store, {PlatformName.SLACK: standings}) as stack:
        schedule = await daily(stack.service, "C1")
        await stack.sign_in(ADMIN, ["T1"])
        path = f"/c/{schedule.community_id}/settings"
        form = {"part": "community", "review-channel": "CREVIEW"}
        both = "U01AAAAAAA, <@U02BBBBBBB|bo>"  # ids as chat takes them: bare or mentions
        status, _ = await post(stack, path, {**form, "managers": both})
        assert status == 200
        community = await stack.service.community(PlatformName.SLACK, "T1")
        assert community is not None
        assert community.manager_ids == ("U01AAAAAAA", "U02BBBBBBB")
        assert community.review_channel == "CREVIEW"
        status, _ = await post(stack, path, {**form, "managers": "<@U02BBBBBBB>"})  # one removed
        community = await stack.service.community(PlatformName.SLACK, "T1")
        assert community is not None and community.manager_ids == ("U02BBBBBBB",)
        status, page = await post(stack, path, {**form, "managers": "U02BBBBBBB who?"})
        assert status == 400 and "managers: cannot tell who" in page
        status, page = await post(stack, path, {"part": "community", "review-channel": "#a b"})
        assert status == 400 and "review-channel:" in page
        community = await stack.service.community(PlatformName.SLACK, "T1")
        assert community is not None
        assert community.manager_ids == ("U02BBBBBBB",) and community.review_channel == "CREVIEW"


@SQL
async def test_the_member_rituals_are_switched_from_the_page(store: UnitOfWorkFactory) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store, {PlatformName.SLACK: standings}) as stack:
        schedule = await daily(stack.service, "C1")
        await stack.sign_in(ADMIN, ["T1"])
        path = f"/c/{schedule.community_id}/settings"
        page = await (await stack.client.get(f"{path}?schedule={schedule.id}")).text()
        assert 'id="streaks" name="streaks" value="on" checked' in page
        assert 'id="regulars" name="regulars" value="on">' in page
        form = {"part": "channel", "schedule": str(schedule.id), "thread": "on"}
        status, page = await post(stack, path, {**form, "regulars": "on", "best-answer": "on"})
        assert status == 200 and "Saved: streaks, regulars, best-answer." in page
        stored = await stack.service.get_schedule(schedule.id)
        assert (stored.streaks, stored.regulars, stored.best_answer) == (False, True, True)
