"""The end-to-end harness: the real core, the Slack adapter over HTTP, the fake Slack."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack import SlackAdapter
from bot.app.bootstrap import Core
from bot.app.settings import Settings
from bot.storage.uow import SqlUnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_requests import (
    as_form,
    as_interactive,
    event_callback,
    post_signed,
    slash_command,
)

MONDAY_7_UTC = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
SECRET = "test-signing-secret"


@dataclass
class Stack:
    """The real core on SQLite, the Slack adapter over HTTP, and the fake Slack."""

    fake: FakeSlack
    adapter: SlackAdapter
    core: Core
    clock: FrozenClock
    uow: SqlUnitOfWorkFactory
    url: str
    engine: AsyncEngine

    async def send(self, body: str, content_type: str, **kwargs: Any) -> int:
        status, _ = await post_signed(self.url, body, content_type, SECRET, **kwargs)
        await settle()
        if self.adapter.members is not None:  # who reacted is looked up after the ack
            await self.adapter.members.settled()
        return status

    async def event(self, event: dict[str, Any], **kwargs: Any) -> int:
        bot = self.fake.team("T1").bot_user_id
        body = json.dumps(event_callback("T1", event, bot))
        return await self.send(body, "application/json", **kwargs)

    async def command(self, user: str, text: str, channel: str = "CGENERAL") -> dict[str, Any]:
        """Run `/tigerbird text`; return what the app answered on the response URL."""
        key = f"cmd{len(self.fake.responses)}"
        url = f"{self.fake.base_url}/response/{key}"
        fields = slash_command("T1", channel, user, text, url)
        assert await self.send(as_form(fields), FORM) == 200
        [answer] = [r for r in self.fake.responses if r["key"] == key]
        return answer

    async def interact(self, payload: dict[str, Any]) -> int:
        return await self.send(as_interactive(payload), FORM)


FORM = "application/x-www-form-urlencoded"


async def settle() -> None:
    """Wait until every bolt listener started so far has finished: the lazy listeners that
    answer commands and buttons run after the ack."""
    bolt_tasks = ("run_ack_function_asynchronously", "to_runnable_function")
    while True:
        pending = [
            task
            for task in asyncio.all_tasks()
            if not task.done()
            and any(n in getattr(task.get_coro(), "__qualname__", "") for n in bolt_tasks)
        ]
        if not pending:
            return
        await asyncio.wait(pending)


def slack_settings(fake: FakeSlack, database_url: str, **extra: str) -> Settings:
    values: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": fake.team("T1").bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "TIGERBIRD_MANAGERS": "UCONFIGURED",
        **extra,
    }
    return Settings(**values)
