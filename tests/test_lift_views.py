"""The holdout's settings and the measured lift where managers read it: chat, CLI, settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.app.settings import Settings
from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName
from bot.core.invocations import Invocation
from bot.core.ports import UnitOfWorkFactory
from bot.learning.lift import MIN_POSTS
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.test_analytics_cli import db  # noqa: F401  (the seeded SQLite CLI fixture)
from tests.test_lift_production import MONDAY_8, _closed_post
from tests.test_storage_contract import _prompt, _schedule

MANAGER = Invocation(PlatformName.SLACK, "T1", "C1", "U1", member_is_admin=True)
runner = CliRunner()


async def test_chat_stats_show_the_lift_here_and_across_communities(
    store: UnitOfWorkFactory,
) -> None:
    schedule_id, prompt_id = await _schedule(store, "C1"), await _prompt(store)
    for day in range(MIN_POSTS):
        await _closed_post(store, schedule_id, prompt_id, 2 * day, "policy", 11 + 2 * (day % 2))
        await _closed_post(store, schedule_id, prompt_id, 2 * day + 1, "holdout", 5 + 2 * (day % 2))
    service, _ = make_service(store, FrozenClock(MONDAY_8.replace(year=2027)))
    reply = await ChatCommands(service).run(MANAGER, "stats all")
    lines = reply.text.splitlines()
    here = [line for line in lines if "in this community" in line]
    assert len(here) == 1
    assert here[0].startswith(
        "Lift over random picks in this community (all time): 2.00x random (90 % interval "
    )
    assert "40 posts, 20 of them holdout · off-policy estimate 1.00x random" in here[0]
    assert lines[-1].startswith("Lift over random picks in all communities: 2.00x random")


async def test_chat_stats_say_not_enough_data_before_any_holdout(store: UnitOfWorkFactory) -> None:
    schedule_id, prompt_id = await _schedule(store, "C1"), await _prompt(store)
    await _closed_post(store, schedule_id, prompt_id, 0, "policy", 3)
    service, _ = make_service(store, FrozenClock(MONDAY_8.replace(year=2027)))
    text = (await ChatCommands(service).run(MANAGER, "stats all")).text
    assert (
        "Lift over random picks in this community (all time): not enough data yet: needs "
        f"{MIN_POSTS} policy and {MIN_POSTS} holdout posts (1 posts)" in text
    )


async def test_a_manager_sets_the_communitys_holdout_in_chat(store: UnitOfWorkFactory) -> None:
    await _schedule(store, "C1")
    service, _ = make_service(store, FrozenClock(MONDAY_8))
    commands = ChatCommands(service)
    assert "holdout default" in (await commands.run(MANAGER, "settings")).text
    answer = await commands.run(MANAGER, "settings holdout 5%")
    assert answer.text == "holdout set to 5% of this community's slots."
    community = await service.community(PlatformName.SLACK, "T1")
    assert community is not None and community.holdout == pytest.approx(0.05)
    assert "holdout 5%" in (await commands.run(MANAGER, "settings")).text
    bad = await commands.run(MANAGER, "settings holdout 2")
    assert bad.text.startswith("holdout: '2' must be a share between 0 and 1")
    off = await commands.run(MANAGER, "settings holdout 0")
    assert off.text == "holdout set to 0% of this community's slots."
    back = await commands.run(MANAGER, "settings holdout default")
    assert back.text == "holdout set to the default (TIGERBIRD_HOLDOUT)."
    community = await service.community(PlatformName.SLACK, "T1")
    assert community is not None and community.holdout is None


def test_tigerbird_holdout_shows_and_sets_a_communitys_share(db: str) -> None:  # noqa: F811
    shown = runner.invoke(app, ["holdout", "slack:T1"])
    assert shown.exit_code == 0, shown.output
    assert "slack:T1: holdout default (10%)" in shown.output
    changed = runner.invoke(app, ["holdout", "slack:T1", "0.2"])
    assert changed.exit_code == 0, changed.output
    assert "slack:T1: holdout 20%" in runner.invoke(app, ["holdout", "slack:T1"]).output
    bad = runner.invoke(app, ["holdout", "slack:T1", "1.5"])
    assert bad.exit_code == 2 and "holdout: '1.5' must be a share between 0 and 1" in bad.output
    unknown = runner.invoke(app, ["holdout", "slack:T404", "0.1"])
    assert unknown.exit_code == 2 and "no community 'slack:T404'" in unknown.output
    malformed = runner.invoke(app, ["holdout", "T1"])
    assert malformed.exit_code == 2 and "must be platform:id" in malformed.output


def test_tigerbird_stats_prints_the_lift_overall_and_per_community(db: str) -> None:  # noqa: F811
    result = runner.invoke(app, ["stats", "--since", "all"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Lift over random picks in all communities: not enough data yet" in text
    assert "Lift over random picks in Alpha: not enough data yet" in text


def test_tigerbird_holdout_setting_is_validated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TIGERBIRD_HOLDOUT", raising=False)
    assert Settings(_env_file=None).tigerbird_holdout == pytest.approx(0.10)
    monkeypatch.setenv("TIGERBIRD_HOLDOUT", "0")
    assert Settings(_env_file=None).tigerbird_holdout == 0.0
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")
    for bad in ("1.5", "-0.1", "lots"):
        monkeypatch.setenv("TIGERBIRD_HOLDOUT", bad)
        result = runner.invoke(app, ["schedule", "list"])
        assert result.exit_code == 2
        assert f"TIGERBIRD_HOLDOUT: '{bad}' must be a share between 0 and 1" in result.output
