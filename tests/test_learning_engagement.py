"""The engagement metric: unique responders within the post's window, out of the audience."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.learning.metric import engagement, response_window_end

POST = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = POST + timedelta(days=3)


def at(hours: float) -> datetime:
    return POST + timedelta(hours=hours)


def test_counts_each_member_once_across_reactions_and_replies() -> None:
    responses = [("ann", at(1)), ("ann", at(2)), ("bob", at(3)), ("cy", at(23.9))]
    assert engagement(POST, None, responses, set(), 40, LATER) == (3, 40)


def test_ignores_responses_outside_the_24_hour_window() -> None:
    responses = [("early", at(-0.5)), ("on-time", at(0)), ("late", at(24)), ("later", at(30))]
    assert engagement(POST, None, responses, set(), 10, LATER) == (1, 10)


def test_the_next_post_closes_the_window_early() -> None:
    responses = [("ann", at(1)), ("bob", at(12)), ("cy", at(13))]
    assert engagement(POST, at(12), responses, set(), 10, LATER) == (1, 10)
    assert response_window_end(POST, at(12)) == at(12)


def test_a_next_post_after_24_hours_does_not_extend_the_window() -> None:
    assert response_window_end(POST, at(48)) == at(24)
    assert engagement(POST, at(48), [("ann", at(30))], set(), 10, LATER) == (0, 10)


def test_excluded_members_do_not_count() -> None:
    responses = [("bot", at(1)), ("tigerbird", at(1)), ("ann", at(2))]
    assert engagement(POST, None, responses, {"bot", "tigerbird"}, 10, LATER) == (1, 10)


def test_open_window_gives_none_until_it_closes() -> None:
    responses = [("ann", at(1))]
    assert engagement(POST, None, responses, set(), 10, at(23)) is None
    assert engagement(POST, at(6), responses, set(), 10, at(5)) is None
    assert engagement(POST, at(6), responses, set(), 10, at(6)) == (1, 10)


def test_audience_is_at_least_one_and_at_least_the_responders() -> None:
    assert engagement(POST, None, [], set(), 0, LATER) == (0, 1)
    responses = [("ann", at(1)), ("bob", at(2)), ("cy", at(3))]
    assert engagement(POST, None, responses, set(), 2, LATER) == (3, 3)
