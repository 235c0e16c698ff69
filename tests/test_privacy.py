"""`tigerbird privacy export|forget`: one member's data, and only theirs, goes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.core.domain import PlatformName, PromptDraft, PromptSource, PromptStatus, ResponseKind
from bot.engagement.members import MemberKeys
from bot.storage.engine import make_engine, make_sessions
from bot.storage.models import ActivityRow, PostRow, PromptRow, ResponseRow
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.test_analytics_history import DAY0, seed_history

T = TypeVar("T")
runner = CliRunner()
SECRET = "privacy-test-secret"
KEY = MemberKeys(SECRET.encode()).key(PlatformName.SLACK, "U42")


def on_db(url: str, work: Callable[[SqlUnitOfWorkFactory], Awaitable[T]]) -> T:
    async def main() -> T:
        engine = make_engine(url)
        try:
            return await work(SqlUnitOfWorkFactory(make_sessions(engine)))
        finally:
            await engine.dispose()

    return asyncio.run(main())


async def seed_with_member(store: SqlUnitOfWorkFactory) -> None:
    """The fixture history plus U42: a reply in C1, a reaction in C2, activity, a suggestion."""
    seeded = await seed_history(store)
    async with store() as u:
        posts = await u.posts.all()
        first_c1, only_c2 = (
            posts[0].id,
            next(p.id for p in posts if p.schedule_id != posts[0].schedule_id),
        )
        await u.responses.add(first_c1, KEY, ResponseKind.REPLY, "", DAY0)
        await u.responses.add(only_c2, KEY, ResponseKind.REACTION, "👍", DAY0)
        await u.activity.seen(seeded.community_a, "C1", KEY, DAY0)
        await u.activity.seen(seeded.community_b, "C2", KEY, DAY0)
        await u.prompts.add(
            PromptDraft("s/1", "Best snack?", "food"),
            PromptSource.SUGGESTED,
            PromptStatus.PENDING,
            seeded.community_a,
            "U42",
        )
        await u.commit()


async def snapshot(store: SqlUnitOfWorkFactory) -> dict[str, list[tuple[object, ...]]]:
    async with store.sessions() as s:
        responses = await s.execute(
            select(ResponseRow.post_id, ResponseRow.member_key, ResponseRow.kind, ResponseRow.at)
        )
        activity = await s.execute(select(ActivityRow.channel, ActivityRow.member_key))
        posts = await s.execute(select(PostRow.id, PostRow.responders, PostRow.outcome_at))
        prompts = await s.execute(select(PromptRow.key, PromptRow.suggested_by))
        return {
            "responses": sorted(tuple(r) for r in responses),
            "activity": sorted(tuple(r) for r in activity),
            "posts": sorted(tuple(r) for r in posts),
            "prompts": sorted(tuple(r) for r in prompts),
        }


@pytest.fixture
def db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("TIGERBIRD_MEMBER_KEY", SECRET)
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    on_db(sqlite_url, seed_with_member)
    return sqlite_url


def test_export_prints_everything_held_about_the_member(db: str) -> None:
    result = runner.invoke(app, ["privacy", "export", "--platform", "slack", "--member", "U42"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["pseudonymous_key"] == KEY
    assert sorted((r["channel"], r["kind"]) for r in data["responses"]) == [
        ("C1", "reply"),
        ("C2", "reaction"),
    ]
    assert sorted(a["channel"] for a in data["activity"]) == ["C1", "C2"]
    assert [s["text"] for s in data["suggestions"]] == ["Best snack?"]


def test_forget_removes_exactly_that_members_data(db: str) -> None:
    before = on_db(db, snapshot)
    result = runner.invoke(
        app, ["privacy", "forget", "--platform", "slack", "--member", "U42", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "forgot 2 responses and 2 activity records; 2 post outcomes" in result.output
    after = on_db(db, snapshot)

    assert after["responses"] == [r for r in before["responses"] if r[1] != KEY]
    assert after["activity"] == [a for a in before["activity"] if a[1] != KEY]
    assert len(after["responses"]) == 8 and len(after["activity"]) == 5
    # The two posts U42 answered lose their recorded outcome (to be recomputed); no other does.
    changed = {p[0] for p in set(before["posts"]) - set(after["posts"])}
    assert len(changed) == 2
    assert all(p[1] is None and p[2] is None for p in after["posts"] if p[0] in changed)
    assert after["prompts"] == sorted(
        (k, None if k == "s/1" else by) for k, by in before["prompts"]
    )


def test_forget_on_another_platform_removes_nothing(db: str) -> None:
    before = on_db(db, snapshot)
    result = runner.invoke(
        app, ["privacy", "forget", "--platform", "discord", "--member", "U42", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert on_db(db, snapshot) == before


def test_forget_asks_first_and_rejects_unknown_platforms(db: str) -> None:
    before = on_db(db, snapshot)
    refused = runner.invoke(
        app, ["privacy", "forget", "--platform", "slack", "--member", "U42"], input="n\n"
    )
    unknown = runner.invoke(app, ["privacy", "forget", "--platform", "irc", "--member", "U42"])
    assert refused.exit_code == 1 and on_db(db, snapshot) == before
    assert (
        unknown.exit_code == 2 and "'irc' is not one of console, slack, discord" in unknown.output
    )
