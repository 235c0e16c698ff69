"""Streak arithmetic and the regulars board's wording: pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.rituals import BestAnswer, MemberName, MonthlyResponder, RitualMember
from bot.engagement.regulars import board
from bot.engagement.streaks import milestone, streak_at, streak_of
from bot.service_layer.ritual_posts import month_bounds, quote

POSTS = [10, 11, 12, 13, 14, 15]
MARCH = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_streak_counts_back_to_the_first_unanswered_post() -> None:
    answered = {10, 12, 13, 14}
    assert [streak_at(POSTS, answered, p) for p in POSTS] == [1, 0, 1, 2, 3, 0]
    assert streak_at(POSTS, answered, 99) == 0


def test_current_and_best_streak_allow_for_todays_open_post() -> None:
    today_open = streak_of("C1", POSTS, {10, 11, 12, 14})
    assert (today_open.current, today_open.best, today_open.answers) == (1, 3, 4)
    broken = streak_of("C1", POSTS, {10, 11, 12})
    assert (broken.current, broken.best) == (0, 3)
    assert streak_of("C1", [], set()).current == 0


def test_only_the_milestone_lengths_are_acknowledged() -> None:
    assert [n for n in range(1, 120) if milestone(n)] == [3, 7, 30, 100]


def _responder(key: str, posts: int, day: int) -> MonthlyResponder:
    return MonthlyResponder(
        key, posts, datetime(2026, 3 if day > 0 else 2, abs(day) or 1, tzinfo=UTC)
    )


def _text(parts: tuple[str | MemberName, ...] | None) -> str:
    assert parts is not None
    return "".join(p if isinstance(p, str) else f"@{p.member_id}" for p in parts)


def test_the_board_names_the_opted_in_counts_the_rest_and_leaves_out_who_opted_out() -> None:
    responders = [
        _responder("a", 9, -3),
        _responder("b", 9, 2),
        _responder("c", 4, -5),
        _responder("d", 1, 20),
        _responder("e", 12, -1),
    ]
    choices = {
        "a": RitualMember(1, "a", named=True, platform_id="UA"),
        "b": RitualMember(1, "b", named=True, platform_id="UB"),
        "e": RitualMember(1, "e", opted_out=True),
    }
    assert _text(board("March 2026", MARCH, responders, choices)) == (
        "📅 Regulars of March 2026: 4 members answered here. Most answers: @UA (9), @UB (9), "
        "2 members who keep to themselves.\nWelcome to our first-time responders: @UB and 1 "
        "more member! 👋"
    )


def test_no_board_when_nobody_who_takes_part_answered() -> None:
    out = {"e": RitualMember(1, "e", opted_out=True)}
    assert board("March 2026", MARCH, [_responder("e", 3, 2)], out) is None
    assert board("March 2026", MARCH, [], {}) is None


def test_the_month_before_is_taken_in_local_time() -> None:
    start, end, name = month_bounds(datetime(2026, 1, 1, 0, 30, tzinfo=UTC))
    assert (start, end, name) == (
        datetime(2025, 12, 1, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
        "December 2025",
    )


def test_a_quote_is_cut_short_and_credits_only_a_named_author() -> None:
    best = BestAnswer(1, "m", "k", 1, MARCH, "word " * 100)
    parts = quote(best, None)
    assert _text(parts).startswith("💬 Best answer to the last question (1 reaction): “word word")
    assert _text(parts).endswith("…”") and len(_text(parts)) < 360
    assert _text(quote(best, "U1")).endswith(" — @U1")
