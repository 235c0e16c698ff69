"""Security on the real Slack app over HTTP (SQLite store) and the real discord.py client:
forged or stale signatures, members running manager commands, mentions in member text,
SQL-like and very long input."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from adapters.discord import endpoints
from adapters.slack import build
from bot.app.bootstrap import Core, build_core
from bot.app.settings import Settings
from bot.core.domain import PlatformName, PromptDraft, PromptSource, ScheduleSpec
from bot.core.ports import NewSchedule
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.discord.discord_stack import stack_settings, start_stack
from tests.discord.discord_world import GUILD_A, MEMBER, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_people import answer_text, slash
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_requests import as_form, post_signed, slash_command
from tests.slack.slack_stack import settle

SECRET = "security-signing-secret"
FORM = "application/x-www-form-urlencoded"
MENTIONS = "Hi @everyone and @here, <!channel> <!here> <@U0ADMIN> <@&42> <#C1> <!subteam^S1>"
SQL_LIKE = "What would Robert'); DROP TABLE prompts; -- \" OR 1=1; /* */ %s {0} ask?"
MANAGER_COMMANDS = [
    "here 09:00",
    "now",
    "skip",
    "pause",
    "resume",
    "add Is this allowed?",
    "settings managers add <@UMEMBER>",
    "approve 1",
    "reject 1 no",
]


def has_answer(fake: FakeDiscord, interaction_id: str) -> bool:
    return answer_text(fake, interaction_id) is not None


@dataclass
class SlackHttp:
    fake: FakeSlack
    uow: SqlUnitOfWorkFactory
    url: str
    core: Core

    async def command(self, user: str, text: str, **signing: Any) -> tuple[int, str]:
        key = f"r{len(self.fake.responses)}"
        fields = slash_command("T1", "CGENERAL", user, text, f"{self.fake.base_url}/response/{key}")
        fields["is_admin"] = "true"  # a forged client-side hint: must be ignored
        status, _ = await post_signed(self.url, as_form(fields), FORM, SECRET, **signing)
        await settle()
        answers = [r["text"] for r in self.fake.responses if r["key"] == key]
        return status, answers[0] if answers else ""

    async def stored(self) -> tuple[int, int, int]:
        async with self.uow() as u:
            return (
                len(await u.schedules.all()),
                len(await u.prompts.all()),
                sum(len(c.manager_ids) for c in await u.communities.all()),
            )


@pytest.fixture
async def slack_http(sqlite_url: str) -> AsyncIterator[SlackHttp]:
    fake = FakeSlack()
    await fake.start()
    team = fake.add_team("T1")
    fake.add_user("UADMIN", is_admin=True)
    fake.add_user("UMEMBER")
    fake.add_channel("CGENERAL", members={team.bot_user_id, "UMEMBER"})
    settings = Settings(
        DATABASE_URL=sqlite_url,
        SLACK_BOT_TOKEN=team.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
    )
    engine = make_engine(sqlite_url)
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    core = await build_core(uow, settings)
    adapter = build(settings, core.service, core.commands)
    core.platforms[PlatformName.SLACK] = adapter.platform
    server = TestServer(adapter.web_app(), host="127.0.0.1")
    await server.start_server()
    yield SlackHttp(fake, uow, str(server.make_url("/slack/events")), core)
    await server.close()
    await adapter.stop()
    await engine.dispose()
    await fake.stop()
    assert fake.violations == []


@pytest.mark.parametrize("signing", [{"forged": True}, {"age_seconds": 301}, {"age_seconds": -400}])
async def test_forged_or_stale_slack_signature_is_401_and_stores_nothing(
    slack_http: SlackHttp, signing: dict[str, Any]
) -> None:
    before = await slack_http.stored()
    status, answer = await slack_http.command("UADMIN", "here 09:00", **signing)
    assert (status, answer) == (401, "")
    assert await slack_http.stored() == before
    assert slack_http.fake.calls == []  # not even users.info: the request never got in


async def test_a_correct_signature_gets_in(slack_http: SlackHttp) -> None:
    status, answer = await slack_http.command("UADMIN", "here 09:00")
    assert status == 200 and answer
    assert (await slack_http.stored())[0] == 1  # the control: the same request, signed, works


@pytest.mark.parametrize("line", MANAGER_COMMANDS)
async def test_slack_members_cannot_run_manager_commands(slack_http: SlackHttp, line: str) -> None:
    before = await slack_http.stored()
    status, answer = await slack_http.command("UMEMBER", line)
    assert status == 200
    assert answer.startswith("Only the community's managers")
    assert await slack_http.stored() == before


async def test_slack_mentions_in_member_text_never_resolve(slack_http: SlackHttp) -> None:
    service = slack_http.core.service
    await service.add_prompts([PromptDraft("m/1", MENTIONS, "fun")], PromptSource.CUSTOM)
    schedule, _ = await service.add_schedule(
        PlatformName.SLACK, "T1", NewSchedule(0, "CGENERAL", ScheduleSpec(), thread=False)
    )
    assert await service.post_now(schedule.id) is not None
    [posted] = slack_http.fake.posts("CGENERAL")
    rendered = posted["text"] + json.dumps(posted["blocks"])
    for live in ("<!", "<@", "<#", "@everyone", "@here"):
        assert live not in rendered, live


async def test_sql_like_and_very_long_suggestions_are_stored_verbatim(
    slack_http: SlackHttp,
) -> None:
    long_text = "Why " + "very " * 300 + "long?"
    answers = []
    for text in (SQL_LIKE, long_text):
        status, answer = await slack_http.command("UMEMBER", f"suggest {text}")
        assert status == 200
        answers.append(answer)
    async with slack_http.uow() as u:
        prompts = await u.prompts.all(status=None, include_global=False, community_id=1)
        texts = [p.text for p in prompts]
        communities = await u.communities.all()
    assert answers[0].startswith("Thanks!"), answers[0]
    assert SQL_LIKE in texts  # verbatim: bound parameters, never string-built SQL
    assert long_text in texts or (answers[1] and long_text not in answers[1]), answers[1]
    assert len(communities) == 1  # and every table is still there


async def test_discord_members_cannot_run_manager_commands_and_mentions_stay_inert(
    tmp_path: Path,
) -> None:
    fake = FakeDiscord()
    await fake.start()
    before = endpoints.current()
    endpoints.point_at(fake.api_url, fake.gateway_url)
    server = populate(fake, GUILD_A, "A")
    bot = await start_stack(stack_settings(fake, tmp_path / "bot.db"), FrozenClock(_now()))
    try:
        for sub, options in [
            ("here", {"time": "09:00", "tz": "UTC"}),
            ("now", {}),
            ("pause", {}),
            ("add", {"text": "Allowed?"}),
        ]:
            iid = slash(fake, GUILD_A, server.channel.id, MEMBER, sub, **options)
            await fake.wait_until(partial(has_answer, fake, iid))
            assert (answer_text(fake, iid) or "").startswith("Only the community's managers")
        assert await bot.schedules() == []
        service = bot.core.service
        await service.add_prompts([PromptDraft("m/1", MENTIONS, "fun")], PromptSource.CUSTOM)
        channel = str(server.channel.id)
        schedule, _ = await service.add_schedule(
            PlatformName.DISCORD,
            str(GUILD_A),
            NewSchedule(0, channel, ScheduleSpec(), thread=False),
        )
        assert await service.post_now(schedule.id) is not None
        [posted] = [m for m in fake.world.channel_messages(server.channel.id) if m["embeds"]]
        assert posted["_allowed_mentions"] == {"parse": []}
        assert "@everyone" not in json.dumps(posted["embeds"]) + posted["content"]
    finally:
        await bot.stop()
        endpoints.point_at(*before)
        await fake.stop()
    fake.assert_contract_kept()


def _now() -> datetime:
    return datetime.now(UTC)
