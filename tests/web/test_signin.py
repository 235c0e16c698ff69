"""Signing in to the dashboard with Slack (OpenID Connect) and Discord (OAuth2) against the
fakes, through the real Standings: each person sees exactly the communities they manage.
Failures (denied, replayed state, wrong nonce) are refused, said plainly and rate-limited."""

from __future__ import annotations

import logging

import pytest
from aiohttp import ClientResponse

from adapters.web.config import OAuthClient
from bot.core.domain import PlatformName, ScheduleSpec
from bot.core.ports import NewSchedule, Standings, UnitOfWorkFactory
from tests.discord.fake_discord import FakeDiscord
from tests.slack.fake_slack import FakeSlack
from tests.web.people import GUILD, MEMBER, MODERATOR, OTHER_GUILD
from tests.web.web_stack import WebStack, web_stack

SQL = pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)


async def communities(stack: WebStack) -> dict[str, int]:
    """Tigerbird's communities on both platforms, by name."""
    made = {}
    for platform, external, name in (
        (PlatformName.SLACK, "T1", "Tiger Team"),
        (PlatformName.SLACK, "T2", "Other Workspace"),
        (PlatformName.DISCORD, str(GUILD), "Tiger Server"),
        (PlatformName.DISCORD, str(OTHER_GUILD), "Other Server"),
    ):
        schedule, _ = await stack.service.add_schedule(
            platform, external, NewSchedule(0, "1234", ScheduleSpec()), name
        )
        made[name] = schedule.community_id
    return made


async def sign_in_with(stack: WebStack, provider: str) -> ClientResponse:
    """Click the sign-in button: the platform (fake) approves and sends the browser back."""
    return await stack.client.get(f"/signin/{provider}")


@SQL
async def test_slack_sign_in_shows_only_the_workspace_the_admin_manages(
    store: UnitOfWorkFactory,
    fake_slack: FakeSlack,
    standings: dict[PlatformName, Standings],
    slack_client: OAuthClient,
) -> None:
    async with web_stack(store, standings, slack=slack_client) as stack:
        ids = await communities(stack)
        fake_slack.sign_in_as = "UADMIN"
        home = await sign_in_with(stack, "slack")
        assert home.status == 200 and str(home.url).endswith("/")
        page = await home.text()
        assert "Tiger Team" in page and "Signed in as ada" in page
        assert "Other Workspace" not in page and "Tiger Server" not in page
        [asked] = fake_slack.oidc_requests
        assert asked["nonce"] and asked["state"] and "openid" in asked["scope"]
        assert (await stack.client.get(f"/c/{ids['Tiger Team']}")).status == 200
        for other in ("Other Workspace", "Tiger Server"):
            assert (await stack.client.get(f"/c/{ids[other]}")).status == 404
        # the access token and the client secret never reach the page
        for token in fake_slack.oidc_tokens:
            assert token not in page
        assert fake_slack.client_secret not in page


@SQL
async def test_a_slack_member_who_is_not_an_admin_sees_no_community(
    store: UnitOfWorkFactory,
    fake_slack: FakeSlack,
    standings: dict[PlatformName, Standings],
    slack_client: OAuthClient,
) -> None:
    async with web_stack(store, standings, slack=slack_client) as stack:
        ids = await communities(stack)
        fake_slack.sign_in_as = "UMEMBER"
        page = await (await sign_in_with(stack, "slack")).text()
        assert "You manage no community" in page
        assert (await stack.client.get(f"/c/{ids['Tiger Team']}")).status == 404


@SQL
async def test_discord_sign_in_lists_the_servers_the_person_manages_by_role(
    store: UnitOfWorkFactory,
    fake_discord: FakeDiscord,
    standings: dict[PlatformName, Standings],
    discord_client: OAuthClient,
) -> None:
    async with web_stack(store, standings, discord=discord_client) as stack:
        ids = await communities(stack)
        fake_discord.sign_ins.signing_in = MODERATOR  # Manage Server in GUILD only
        page = await (await sign_in_with(stack, "discord")).text()
        assert "Tiger Server" in page and "Other Server" not in page
        [asked] = fake_discord.sign_ins.authorize_requests
        assert asked["code_challenge_method"] == "S256" and asked["scope"] == "identify guilds"
        assert (await stack.client.get(f"/c/{ids['Other Server']}")).status == 404
        assert (await stack.client.get(f"/c/{ids['Tiger Team']}")).status == 404


@SQL
async def test_a_discord_member_without_manage_server_sees_no_community(
    store: UnitOfWorkFactory,
    fake_discord: FakeDiscord,
    standings: dict[PlatformName, Standings],
    discord_client: OAuthClient,
) -> None:
    async with web_stack(store, standings, discord=discord_client) as stack:
        ids = await communities(stack)
        fake_discord.sign_ins.signing_in = MEMBER
        page = await (await sign_in_with(stack, "discord")).text()
        assert "You manage no community" in page
        assert (await stack.client.get(f"/c/{ids['Tiger Server']}")).status == 404


async def test_a_denied_or_forged_sign_in_is_refused_and_failures_are_rate_limited(
    sqlite_url: str,
    fake_slack: FakeSlack,
    standings: dict[PlatformName, Standings],
    slack_client: OAuthClient,
) -> None:
    from bot.storage.engine import make_engine, make_sessions
    from bot.storage.uow import SqlUnitOfWorkFactory

    engine = make_engine(sqlite_url)
    store = SqlUnitOfWorkFactory(make_sessions(engine))
    async with web_stack(store, standings, slack=slack_client) as stack:
        fake_slack.sign_in_as = None  # the person clicks Cancel on Slack's page
        denied = await sign_in_with(stack, "slack")
        assert denied.status == 400
        assert "access_denied" in await denied.text()
        # a callback that this browser did not start (no state in its session)
        forged = await stack.client.get("/signin/slack/callback?code=x&state=y")
        assert forged.status == 400
        assert "not started here" in await forged.text()
        stack.dashboard.limiter.limit = 4
        for _ in range(2):
            await stack.client.get("/signin/link/not-a-real-link")
        assert (await stack.client.get("/signin/slack")).status == 429
        assert (await stack.client.get("/signin/link/whatever")).status == 429
    await engine.dispose()


async def test_an_id_token_for_another_nonce_or_a_replayed_callback_signs_nobody_in(
    sqlite_url: str,
    fake_slack: FakeSlack,
    fake_discord: FakeDiscord,
    standings: dict[PlatformName, Standings],
    slack_client: OAuthClient,
    discord_client: OAuthClient,
) -> None:
    from bot.storage.engine import make_engine, make_sessions
    from bot.storage.uow import SqlUnitOfWorkFactory

    engine = make_engine(sqlite_url)
    store = SqlUnitOfWorkFactory(make_sessions(engine))
    async with web_stack(store, standings, slack=slack_client, discord=discord_client) as stack:
        fake_slack.sign_in_as = "UADMIN"
        fake_slack.oidc_forged_nonce = "a-nonce-from-another-sign-in"
        refused = await sign_in_with(stack, "slack")
        assert refused.status == 400
        assert "id_token did not check out" in await refused.text()
        assert (await stack.client.get("/", allow_redirects=False)).status == 303  # signed out
        # Discord: the same callback URL twice (the state is spent by the first)
        fake_discord.sign_ins.signing_in = MODERATOR
        start = await stack.client.get("/signin/discord", allow_redirects=False)
        async with stack.client.session.get(start.headers["Location"], allow_redirects=False) as r:
            callback = r.headers["Location"]
        assert (await stack.client.session.get(callback)).status == 200
        await stack.client.post("/signout", data={"csrf_token": await stack.csrf("/")})
        replayed = await stack.client.session.get(callback)
        assert replayed.status == 400
        assert "not started here" in await replayed.text()
    await engine.dispose()


async def test_no_token_code_or_secret_is_logged(
    sqlite_url: str,
    fake_slack: FakeSlack,
    standings: dict[PlatformName, Standings],
    slack_client: OAuthClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.storage.engine import make_engine, make_sessions
    from bot.storage.uow import SqlUnitOfWorkFactory

    engine = make_engine(sqlite_url)
    store = SqlUnitOfWorkFactory(make_sessions(engine))
    caplog.set_level(logging.DEBUG)
    async with web_stack(store, standings, slack=slack_client) as stack:
        fake_slack.sign_in_as = "UADMIN"
        assert (await sign_in_with(stack, "slack")).status == 200
        fake_slack.oidc_forged_nonce = "other"
        assert (await sign_in_with(stack, "slack")).status == 400  # a failure is logged too
    await engine.dispose()
    # the test server's access log (off in `tigerbird run`) is the only one that sees URLs
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith("aiohttp.access")
    )
    assert "dashboard sign-in: slack member UADMIN" in logged
    secrets = [*fake_slack.oidc_tokens, fake_slack.client_secret]
    secrets += [q["state"] for q in fake_slack.oidc_requests]
    secrets += [q["nonce"] for q in fake_slack.oidc_requests]
    assert [s for s in secrets if s in logged] == []
