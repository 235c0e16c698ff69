"""`tigerbird privacy` and `tigerbird export` do their work through the unit of work's
read-side ports, so it runs on any store: here memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

from bot.analytics.tables import write_csv
from bot.app.cli import export, privacy
from bot.core.ports import POST_COLUMNS, RESPONSE_COLUMNS, UnitOfWorkFactory
from tests.test_analytics_cli import read_csv
from tests.test_read_ports_contract import KEY, SLACK, seed_member


async def test_privacy_export_and_forget_on_any_store(store: UnitOfWorkFactory) -> None:
    m = await seed_member(store)
    shown = privacy.member_json(SLACK, "U42", await privacy.member_data(store, KEY, SLACK, "U42"))
    assert (shown["platform"], shown["member"], shown["pseudonymous_key"]) == ("slack", "U42", KEY)
    assert [(r["channel"], r["kind"]) for r in shown["responses"]] == [
        ("C2", "reaction"),
        ("C1", "reply"),
    ]
    assert [a["channel"] for a in shown["activity"]] == ["C1", "C2"]
    assert [s["text"] for s in shown["suggestions"]] == ["Best snack?"]
    assert shown["manager_of"] == [{"community_id": str(m.community_a), "community": "Alpha"}]
    assert shown["slack_installations"] == []
    assert shown["rituals"] == []

    done = await privacy.forget_member(store, KEY, SLACK, "U42")
    assert privacy.forgotten_line(done) == (
        "forgot 2 responses and 2 activity records; 2 post outcomes will be recomputed; "
        "1 suggestions no longer carry the member's id; removed from the managers of 1 "
        "communities; removed 0 ritual records (choices, streak milestones, kept replies)"
    )
    after = privacy.member_json(SLACK, "U42", await privacy.member_data(store, KEY, SLACK, "U42"))
    assert [after[part] for part in ("responses", "activity", "suggestions", "manager_of")] == [
        [],
        [],
        [],
        [],
    ]


async def test_export_posts_and_responses_on_any_store(
    store: UnitOfWorkFactory, tmp_path: Path
) -> None:
    await seed_member(store)
    posts_file, responses_file = tmp_path / "posts.csv", tmp_path / "responses.csv"
    write_csv(posts_file, POST_COLUMNS, await export.post_rows(store))
    write_csv(responses_file, RESPONSE_COLUMNS, await export.response_rows(store))

    posts = read_csv(posts_file)
    assert [(p["community"], p["channel"], p["prompt"]) for p in posts][:2] == [
        ("T1", "C1", "Question 1?"),
        ("T2", "C2", "Question 1?"),
    ]
    assert len(posts) == 5 and posts[0]["audience"] == "10"
    responses = read_csv(responses_file)
    assert {r["member_key"] for r in responses} == {"m1", "m2", "m3", "m8", "m9", KEY}
    assert sum(r["kind"] == "reply" for r in responses) == 3
