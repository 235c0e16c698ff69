"""Who sees what on the dashboard: only communities the person manages now, 404 for any
other, 403 for a state-changing request without the CSRF token (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from adapters.web.session import COOKIE_NAME
from bot.core.authz import Person
from bot.core.domain import PlatformName, ScheduleSpec
from bot.core.ports import NewSchedule, Standing, UnitOfWorkFactory
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.standings import FakeStandings
from tests.helpers import daily
from tests.web.web_stack import web_stack

ADMIN = Person(PlatformName.SLACK, "UADMIN", "Ada")
MEMBER = Person(PlatformName.SLACK, "UMEMBER", "Max")


@pytest.fixture
async def store_sqlite(sqlite_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(sqlite_url)
    yield SqlUnitOfWorkFactory(make_sessions(engine))
    await engine.dispose()


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
        assert "<h1>Not found</h1>" in await theirs.text()  # a page in the layout, not a dump
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
        assert "The form was stale or not sent by the dashboard" in await refused.text()
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



async def test_the_session_cookie_is_httponly_lax_and_expires(
    store_sqlite: UnitOfWorkFactory,
) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store_sqlite, {PlatformName.SLACK: standings}) as stack:
        link = stack.dashboard.links.issue(ADMIN, ("T1",))
        response = await stack.client.get(link, allow_redirects=False)
        cookie = response.cookies[COOKIE_NAME]
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
        assert int(cookie["max-age"]) == 12 * 3600
        assert not cookie["secure"]  # http://127.0.0.1: Secure only behind https
        assert (await stack.client.get(link, allow_redirects=False)).status == 404  # used once
        stack.dashboard.config.session_lifetime = timedelta(seconds=-1)  # now expired
        home = await stack.client.get("/", allow_redirects=False)
        assert home.status == 303 and home.headers["Location"] == "/signin"


async def test_sign_out_ends_the_session(store_sqlite: UnitOfWorkFactory) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store_sqlite, {PlatformName.SLACK: standings}) as stack:
        schedule = await daily(stack.service, "C1")
        await stack.sign_in(ADMIN, ["T1"])
        token = await stack.csrf("/")
        out = await stack.client.post("/signout", data={"csrf_token": token})
        assert str(out.url).endswith("/signin")
        page = await stack.client.get(f"/c/{schedule.community_id}", allow_redirects=False)
        assert page.status == 303 and page.headers["Location"] == "/signin"


async def test_text_from_the_community_is_escaped(store_sqlite: UnitOfWorkFactory) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store_sqlite, {PlatformName.SLACK: standings}) as stack:
        evil = "<script>alert(1)</script>"
        schedule, _ = await stack.service.add_schedule(
            PlatformName.SLACK, "T1", NewSchedule(0, "C1", ScheduleSpec()), evil
        )
        await stack.sign_in(ADMIN, ["T1"])
        for path in ("/", f"/c/{schedule.community_id}", f"/c/{schedule.community_id}/settings"):
            page = await (await stack.client.get(path)).text()
            assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_listed_managers_and_manager_roles_count_like_admins(
    store_sqlite: UnitOfWorkFactory,
) -> None:
    standings = FakeStandings()
    listed = Person(PlatformName.DISCORD, "111", "Lin")
    by_role = Person(PlatformName.DISCORD, "222", "Rol")
    standings.set("G1", listed.member_id, Standing(is_admin=False))
    standings.set("G1", by_role.member_id, Standing(is_admin=False, roles=("R-MOD",)))
    async with web_stack(store_sqlite, {PlatformName.DISCORD: standings}) as stack:
        schedule, _ = await stack.service.add_schedule(
            PlatformName.DISCORD, "G1", NewSchedule(0, "C1", ScheduleSpec()), "Guild"
        )
        page = f"/c/{schedule.community_id}"
        for person in (listed, by_role):
            await stack.sign_in(person, ["G1"])
            assert (await stack.client.get(page)).status == 404
        community = await stack.service.community(PlatformName.DISCORD, "G1")
        assert community is not None
        await stack.service.update_community(
            replace(community, manager_ids=("111",), manager_role_ids=("R-MOD",))
        )
        for person in (listed, by_role):
            await stack.sign_in(person, ["G1"])
            assert (await stack.client.get(page)).status == 200
        standings.set("G1", by_role.member_id, None)  # left the server: nothing, even listed
        assert (await stack.client.get(page)).status == 404


async def test_the_overview_shows_channels_a_page_at_a_time(
    store_sqlite: UnitOfWorkFactory,
) -> None:
    standings = FakeStandings()
    standings.set("T1", ADMIN.member_id, Standing(is_admin=True))
    async with web_stack(store_sqlite, {PlatformName.SLACK: standings}) as stack:
        for n in range(23):
            schedule = await daily(stack.service, f"C{n:02d}")
        await stack.sign_in(ADMIN, ["T1"])
        first = await (await stack.client.get(f"/c/{schedule.community_id}")).text()
        second = await (await stack.client.get(f"/c/{schedule.community_id}?page=2")).text()
        assert first.count("<section") == 20 and second.count("<section") == 3
        assert "#C00" in first and "#C22" not in first and "#C22" in second
        assert "Page 1 of 2 (23 in all)" in first
