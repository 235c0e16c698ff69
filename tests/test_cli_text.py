"""Text is text in the CLI: user and library text prints literally, machine formats go out raw
and round-trip, tables stay readable at 80 columns; `schedule add` refuses what makes no sense."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.app.bootstrap import Core
from bot.app.cli.common import load_settings, run_with_core
from bot.app.cli.main import app
from bot.core.domain import PlatformName, PostStatus, PromptDraft, PromptSource, ScheduleSpec
from bot.core.ports import NewSchedule
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.test_privacy import on_db

runner = CliRunner()
MARKUP = "[/x] [bold]not bold[/bold] \\[y]"


@pytest.fixture
def db(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "TIGERBIRD_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return sqlite_url


def readable_at_80(output: str) -> None:
    assert output.strip()
    assert all(len(line) <= 80 for line in output.splitlines()), output
    assert "…" not in output, output


def add(*argv: str) -> list[str]:
    return ["schedule", "add", "--at", "09:00", "--tz", "Europe/Paris", *argv]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (add("--platform", "slack", "--community", "T1", "--channel", ""), "--channel: must not"),
        (add("--platform", "slack", "--community", "T1", "--channel", "  "), "--channel: must not"),
        (
            add("--platform", "console", "--channel", "c", "--every-days", "0"),
            "--every-days: 0 must",
        ),
        (
            add("--platform", "console", "--channel", "c", "--every-days", "366"),
            "--every-days: 366 must be 1..365",
        ),
        (add("--platform", "slack", "--channel", "C1"), "--community: required for slack"),
        (add("--platform", "discord", "--channel", "9"), "--community: required for discord"),
    ],
)
def test_schedule_add_refuses_what_makes_no_sense(db: str, argv: list[str], expected: str) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2 and expected in result.output, result.output
    listed = runner.invoke(app, ["schedule", "list"])
    assert listed.exit_code == 0 and "Europe/Paris" not in listed.output  # nothing stored


def test_a_second_schedule_in_a_channel_warns_and_needs_force(db: str) -> None:
    first = add("--platform", "slack", "--community", "T1", "--channel", "C1")
    assert runner.invoke(app, first).exit_code == 0
    second = runner.invoke(app, [*first, "--days", "mon"])
    assert second.exit_code == 1
    assert "warning: #C1 (slack T1) already has schedule 1" in second.output
    assert "--force" in second.output
    forced = runner.invoke(app, [*first, "--days", "mon", "--force"])
    assert forced.exit_code == 0 and "warning:" in forced.output and "schedule 2" in forced.output
    elsewhere = runner.invoke(
        app, add("--platform", "slack", "--community", "T2", "--channel", "C1")
    )
    assert elsewhere.exit_code == 0 and "warning" not in elsewhere.output


def test_schedule_list_prints_names_literally_with_platform_and_community_at_80(db: str) -> None:
    channel = "[/x][bold]C1"
    added = runner.invoke(
        app, add("--platform", "discord", "--community", "123456789012345678", "--channel", channel)
    )
    assert added.exit_code == 0, added.output
    assert f"#{channel} (discord 123456789012345678)" in added.output
    tz = ["--tz", "America/Argentina/Buenos_Aires", "--days", "mon-fri", "--at", "09:00,17:30"]
    where = ["--platform", "slack", "--community", "T0123ABCD", "--channel", "C0123ABCDEF"]
    slack = runner.invoke(app, ["schedule", "add", *where, *tz])
    assert slack.exit_code == 0, slack.output
    listed = runner.invoke(app, ["schedule", "list"])
    assert listed.exit_code == 0, listed.output
    readable_at_80(listed.output)
    for text in ("discord", "123456789012345678", f"#{channel}", "slack", "T0123ABCD"):
        assert text in listed.output
    assert "#C0123ABCDEF" in listed.output and "America/Argentina/Buenos_Aires" in "".join(
        listed.output.split()
    )


def test_preview_prints_prompt_text_literally(db: str, tmp_path: Path) -> None:
    async def store_prompt(core: Core) -> None:
        await core.service.add_prompts([PromptDraft("t/1", f"Which is it? {MARKUP}", "fun")])

    run_with_core(load_settings(), store_prompt)
    assert runner.invoke(app, add("--platform", "console", "--channel", "c")).exit_code == 0
    preview = runner.invoke(app, ["schedule", "preview", "1", "--count", "1"])
    assert preview.exit_code == 0, preview.output
    assert MARKUP.split()[0] in preview.output and "[bold]not" in "".join(preview.output.split())


async def _posted_prompt_with_markup(store: SqlUnitOfWorkFactory) -> None:
    now = datetime.now(UTC) - timedelta(days=2)
    async with store() as u:
        community = await u.communities.ensure(PlatformName.SLACK, "T1", "Alpha")
        schedule = await u.schedules.add(NewSchedule(community.id, "C1", ScheduleSpec()), None)
        draft = PromptDraft("t/m", f"Odd? {MARKUP}", "[/cat]")
        prompt = await u.prompts.add(draft, PromptSource.CUSTOM)
        post = await u.posts.claim(schedule.id, now, "tb:m", prompt.id, None, now, PostStatus.SENT)
        assert post is not None
        post.message_id, post.posted_at, post.audience, post.responders = "m1", now, 10, 0
        post.outcome_at = now + timedelta(days=1)
        await u.posts.update(post)
        await u.commit()


def test_stats_tables_print_prompt_and_category_literally(db: str) -> None:
    on_db(db, _posted_prompt_with_markup)
    result = runner.invoke(app, ["stats", "--since", "all"])
    assert result.exit_code == 0, result.output
    assert "[/cat]" in result.output and "[/x]" in result.output


LIBRARY = [
    ("Which " + "very " * 30 + 'long question, with "quotes", commas and 🐯?', "fun", ("a", "b")),
    ("Line one,\nline two — ünïcödé «quoted» 'single' [/x] [bold]x[/bold]", "deep-thoughts", ()),
    ("Plain: yes # not a comment; {braces} & *stars*", "misc", ("t",)),
]


async def _store_library(core: Core) -> None:
    drafts = [PromptDraft(f"rt/{i}", t, c, tags) for i, (t, c, tags) in enumerate(LIBRARY)]
    await core.service.add_prompts(drafts)


def test_prompts_export_to_stdout_is_raw_and_round_trips(db: str) -> None:
    run_with_core(load_settings(), _store_library)
    exported = runner.invoke(app, ["prompts", "export", "--format", "csv"])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    got = {(r["text"], r["category"], tuple(filter(None, r["tags"].split(";")))) for r in rows}
    assert set(LIBRARY) <= got

    exported = runner.invoke(app, ["prompts", "export", "--format", "yaml"])
    assert exported.exit_code == 0, exported.output
    pack = yaml.safe_load(exported.stdout)
    got = {(p["text"], p["category"], tuple(p["tags"])) for p in pack["prompts"]}
    assert set(LIBRARY) <= got
    longest = max(len(line) for line in exported.stdout.splitlines())
    assert longest > 150  # one line per scalar: not folded at the terminal's 80 columns


def test_simulate_is_readable_at_80_and_names_its_horizon(db: str, tmp_path: Path) -> None:
    scenario = tmp_path / "short.yaml"
    scenario.write_text("days: 30\nchannels: {count: 4}\nprompts: {count: 40}\n")
    table = runner.invoke(app, ["simulate", "--scenario", str(scenario)])
    assert table.exit_code == 0, table.output
    readable_at_80(table.output)
    assert "per_channel_thompson" in table.output and "30 days" in table.output
    assert "headroom_365" not in table.output
    document = json.loads(
        runner.invoke(app, ["simulate", "--scenario", str(scenario), "--json"]).stdout
    )
    assert "headroom_30" in document["policies"]["tigerbird"]
    assert "headroom_365" not in document["policies"]["tigerbird"]
