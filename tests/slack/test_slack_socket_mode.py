"""Socket Mode: the adapter opens the connection itself; envelopes arrive and are acked."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack import SlackAdapter, build
from bot.app.bootstrap import Core, build_core
from bot.app.settings import Settings
from bot.core.domain import PlatformName, PromptDraft, ScheduleSpec
from bot.core.ports import NewSchedule
from bot.storage.engine import make_engine, make_sessions
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_fakes import ChartCommands, NoCore
from tests.slack.slack_requests import event_callback, reaction_event, slash_command
from tests.slack.slack_stack import MONDAY_7_UTC, settle


@pytest.fixture
async def socket_app(
    fake_slack: FakeSlack, sqlite_url: str
) -> AsyncIterator[tuple[SlackAdapter, Core, SqlUnitOfWorkFactory]]:
    engine = make_engine(sqlite_url)
    uow = SqlUnitOfWorkFactory(make_sessions(engine))
    settings = Settings(
        DATABASE_URL=sqlite_url,
        SLACK_BOT_TOKEN=fake_slack.team("T1").bot_token,
        SLACK_APP_TOKEN=fake_slack.app_token,
        SLACK_API_URL=fake_slack.api_url,
    )
    core = await build_core(uow, settings, clock=FrozenClock(MONDAY_7_UTC))
    adapter = build(settings, core.service, core.commands)
    core.platforms[PlatformName.SLACK] = adapter.platform
    await adapter.start()
    yield adapter, core, uow
    await adapter.stop()
    await engine.dispose()


async def test_connects_receives_an_event_and_acknowledges(
    fake_slack: FakeSlack, socket_app: tuple[SlackAdapter, Core, SqlUnitOfWorkFactory]
) -> None:
    _, core, uow = socket_app
    assert fake_slack.socket_connected
    assert len(fake_slack.calls_to("apps.connections.open")) == 1
    await core.service.add_prompts([PromptDraft("t/1", "Sunrise or sunset?", "nature-animals")])
    await core.service.add_schedule(
        PlatformName.SLACK, "T1", NewSchedule(0, "CGENERAL", ScheduleSpec())
    )
    [schedule] = await core.service.list_schedules()
    post = await core.service.post_now(schedule.id)
    assert post is not None and post.message_id
    event = reaction_event("reaction_added", "UMEMBER", "CGENERAL", post.message_id, "sunrise")

    ack = await fake_slack.socket_send("events_api", event_callback("T1", event, "UBOT1"))
    await settle()

    assert ack["envelope_id"].startswith("env-")
    async with uow() as u:
        [(_, kind, emoji, _)] = await u.responses.for_post(post.id)
    assert (kind.value, emoji) == ("reaction", "🌅")


async def test_slash_command_over_the_socket(
    fake_slack: FakeSlack, socket_app: tuple[SlackAdapter, Core, SqlUnitOfWorkFactory]
) -> None:
    url = f"{fake_slack.base_url}/response/sock"
    command = slash_command("T1", "CGENERAL", "UMEMBER", "help", url)

    ack = await fake_slack.socket_send("slash_commands", command)
    await settle()

    assert "envelope_id" in ack
    [answer] = fake_slack.responses
    assert answer["key"] == "sock" and "suggest" in answer["text"]


async def test_a_wrong_app_token_fails_start_up(fake_slack: FakeSlack, sqlite_url: str) -> None:
    settings = Settings(
        DATABASE_URL=sqlite_url,
        SLACK_BOT_TOKEN=fake_slack.team("T1").bot_token,
        SLACK_APP_TOKEN="xapp-wrong",
        SLACK_API_URL=fake_slack.api_url,
    )
    adapter = build(settings, NoCore(), ChartCommands())

    with pytest.raises(RuntimeError, match="invalid_auth"):
        await adapter.start()
    assert not fake_slack.socket_connected
