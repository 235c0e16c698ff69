"""Who sees what on the dashboard: only communities the person manages now, 404 for any
other, 403 for a state-changing request without the CSRF token (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.core.authz import Person
from bot.core.domain import PlatformName, ScheduleSpec
from bot.core.ports import NewSchedule, Standing, UnitOfWorkFactory
from bot.testing.standings import FakeStandings
from tests.helpers import daily
from tests.web.web_stack import web_stack

ADMIN = Person(PlatformName.SLACK, "UADMIN", "Ada")
MEMBER = Person(PlatformName.SLACK, "UMEMBER", "Max")


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
async def test_a_manager_sees_only_their_community_and_others_read_as_missing(
    store: UnitOfWorkFactory,
) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store, {PlatformName.SLACK: standings}) as stack:
        mine = await daily(stack.service, "C1")
        other, _ = await stack.service.add_schedule(
            PlatformName.SLACK, "T2", NewSchedule(0, "C9", ScheduleSpec()), "Other workspace"
        )
        await stack.sign_in(ADMIN, ["T1", "T2"])  # the sign-in listed both; only T1 is managed
        home = await (await stack.client.get("/")).text()
        assert f'href="/c/{mine.community_id}"' in home
        assert f'href="/c/{other.community_id}"' not in home
        assert (await stack.client.get(f"/c/{mine.community_id}")).status == 200
        theirs = await stack.client.get(f"/c/{other.community_id}")
        missing = await stack.client.get("/c/999999")
        assert theirs.status == missing.status == 404
        assert await theirs.text() == await missing.text()
        assert (await stack.client.get(f"/c/{other.community_id}/settings")).status == 404


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
async def test_rights_are_rechecked_on_every_request(store: UnitOfWorkFactory) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store, {PlatformName.SLACK: standings}) as stack:
        schedule = await daily(stack.service, "C1")
        await stack.sign_in(ADMIN, ["T1"])
        page = f"/c/{schedule.community_id}"
        assert (await stack.client.get(page)).status == 200
        standings.set("T1", ADMIN.member_id, Standing(is_admin=False))  # demoted in Slack
        assert (await stack.client.get(page)).status == 404
        assert "You manage no community" in await (await stack.client.get("/")).text()


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
async def test_a_member_who_is_not_a_manager_sees_no_community(store: UnitOfWorkFactory) -> None:
    standings = FakeStandings()
    standings.set("T1", MEMBER.member_id, Standing(is_admin=False))
    async with web_stack(store, {PlatformName.SLACK: standings}) as stack:
        schedule = await daily(stack.service, "C1")
        await stack.sign_in(MEMBER, ["T1"])
        assert "You manage no community" in await (await stack.client.get("/")).text()
        assert (await stack.client.get(f"/c/{schedule.community_id}")).status == 404


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    store: UnitOfWorkFactory,
) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store, {PlatformName.SLACK: standings}) as stack:
        schedule = await daily(stack.service, "C1")
        await stack.sign_in(ADMIN, ["T1"])
        path = f"/c/{schedule.community_id}/settings"
        form = {"part": "channel", "schedule": str(schedule.id), "repeat-window": "7"}
        refused = await stack.client.post(path, data=form, allow_redirects=False)
        assert refused.status == 403
        forged = await stack.client.post(
            path, data={**form, "csrf_token": "forged"}, allow_redirects=False
        )
        assert forged.status == 403
        assert (await stack.service.get_schedule(schedule.id)).repeat_window_days == 60
        token = await stack.csrf(path)
        done = await stack.client.post(
            path, data={**form, "csrf_token": token, "thread": "on"}, allow_redirects=False
        )
        assert done.status == 303, await done.text()
        assert (await stack.service.get_schedule(schedule.id)).repeat_window_days == 7

