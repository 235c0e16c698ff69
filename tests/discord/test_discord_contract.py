"""The contract checker refuses what Discord would refuse, so passing tests mean something."""

from __future__ import annotations

from tests.discord.discord_contract import discord_checker


def problems(
    method: str, path: str, query: dict[str, str] | None = None, body: object = None
) -> list[str]:
    return discord_checker().check(method, path, query or {}, body)[1]


def test_a_valid_message_create_passes() -> None:
    body = {
        "content": "hi",
        "nonce": "tb:1:1767254400",
        "enforce_nonce": True,
        "allowed_mentions": {"parse": []},
    }
    assert problems("POST", "/channels/1/messages", body=body) == []


def test_unknown_route_method_field_and_query_parameter_are_reported() -> None:
    assert problems("GET", "/channels/1/nonsense") == ["unknown route: GET /channels/1/nonsense"]
    assert problems("DELETE", "/gateway/bot") == ["unknown method: DELETE /gateway/bot"]
    [field] = problems(
        "POST", "/channels/1/messages", body={"content": "x", "mention_everyone": True}
    )
    assert "'mention_everyone' was unexpected" in field
    [query] = problems("GET", "/channels/1/messages", query={"limit": "5", "since": "x"})
    assert "unknown query parameter 'since'" in query


def test_a_nonce_longer_than_25_characters_is_refused() -> None:
    [nonce] = problems("POST", "/channels/1/messages", body={"content": "x", "nonce": "n" * 26})
    assert "nonce" in nonce


def test_literal_segments_win_over_placeholders() -> None:
    op, _ = discord_checker().check("PUT", "/channels/1/messages/pins/2", {}, None)
    assert op is not None and op.template == "/channels/{channel_id}/messages/pins/{message_id}"
