"""Fixtures for the dashboard tests: the Slack and Discord fakes (with their sign-in
endpoints), and each platform's real Standings over them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord import endpoints
from adapters.discord.platform import DiscordPlatform
from adapters.discord.standing import DiscordStandings
from adapters.slack.client import web_client
from adapters.slack.platform import SlackPlatform
from adapters.slack.rate_buckets import NoPacing
from adapters.slack.standing import SlackStandings
from adapters.web.config import OAuthClient
from bot.core.domain import PlatformName
from bot.core.ports import PlatformError, Standings
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_state import BOT_TOKEN, MANAGE_GUILD, role_payload
from tests.slack.fake_slack import FakeSlack
from tests.web.people import GUILD, MEMBER, MOD_ROLE, MODERATOR, OTHER_GUILD, OWNER


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """Workspaces T1 (admin UADMIN, member UMEMBER) and T2 (admin UOTHER)."""
    fake = FakeSlack()
    await fake.start()
    fake.add_team("T1", name="Tiger Team")
    fake.add_team("T2", name="Other Workspace")
    fake.add_user("UADMIN", "T1", is_admin=True)
    fake.users["UADMIN"]["name"] = "ada"
    fake.add_user("UMEMBER", "T1")
    fake.add_user("UOTHER", "T2", is_admin=True)
    yield fake
    await fake.stop()
    assert fake.violations == [], "requests the real Slack would reject"


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """Server GUILD (owner OWNER, MODERATOR with Manage Server, plain MEMBER, all also in
    OTHER_GUILD as plain members except OWNER, who owns it too)."""
    fake = FakeDiscord()
    await fake.start()
    before = endpoints.current()
    endpoints.point_at(fake.api_url, fake.gateway_url)
    guild = fake.world.add_guild(GUILD, "Tiger Server", OWNER)
    guild.roles[MOD_ROLE] = role_payload(MOD_ROLE, "Mods", MANAGE_GUILD)
    fake.world.add_member(guild, MODERATOR, "moderator", roles=(MOD_ROLE,))
    fake.world.add_member(guild, MEMBER, "member")
    other = fake.world.add_guild(OTHER_GUILD, "Other Server", OWNER)
    fake.world.add_member(other, MODERATOR, "moderator")
    try:
        yield fake
    finally:
        endpoints.point_at(*before)
        await fake.stop()
    fake.assert_contract_kept()


class TeamTokens:
    """Each fake workspace's own bot token (as OAuth installations would hold them)."""

    def __init__(self, fake: FakeSlack) -> None:
        self._fake = fake

    async def bot_token(self, team_id: str) -> str:
        for team in self._fake.teams.values():
            if team.id == team_id:
                return team.bot_token
        raise PlatformError(f"not installed in {team_id}", permanent=True, code="not_installed")

    async def installer(self, team_id: str) -> str | None:
        return None


@pytest.fixture
async def standings(
    fake_slack: FakeSlack, fake_discord: FakeDiscord
) -> AsyncIterator[dict[PlatformName, Standings]]:
    slack = SlackPlatform(
        web_client(fake_slack.api_url),
        TeamTokens(fake_slack),
        (),
        pacing=NoPacing(),
    )
    client = discord.Client(intents=discord.Intents.none())
    yield {
        PlatformName.SLACK: SlackStandings(slack),
        PlatformName.DISCORD: DiscordStandings(DiscordPlatform(client, BOT_TOKEN)),
    }
    await slack.aclose()
    await client.close()


@pytest.fixture
def slack_client(fake_slack: FakeSlack) -> OAuthClient:
    return OAuthClient(fake_slack.client_id, fake_slack.client_secret, fake_slack.api_url)


@pytest.fixture
def discord_client(fake_discord: FakeDiscord) -> OAuthClient:
    sign_ins = fake_discord.sign_ins
    return OAuthClient(sign_ins.client_id, sign_ins.client_secret, fake_discord.api_url)
