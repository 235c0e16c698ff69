"""Each lint rule fires on its positive case and stays quiet on its negative case."""

from __future__ import annotations

import pytest

from bot.core.domain import PromptDraft
from bot.library import RULES, lint_drafts, lint_text

CASES: list[tuple[str, str, str]] = [
    # (rule, breaks it, keeps it)
    ("empty", "   ", "What made you smile today?"),
    ("whitespace", "What made you smile today? ", "What made you smile today?"),
    ("too-long", "Which " + "tiny " * 60 + "joy?", "Which tiny joy made your week?"),
    ("open-invitation", "Tigers are great.", "Describe the best tiger you have met."),
    ("url", "Which is your favourite, see https://example.com?", "Which is your favourite?"),
    ("url", "What do you think of www.example.org?", "What do you think of e.g. dogs?"),
    ("url", "Seen tigerbird.io lately, and what for?", "What's the last thing you fixed?"),
    ("mention", "@everyone what's for lunch?", "What's for lunch?"),
    ("mention", "@here what's for lunch?", "Email me@example what's for lunch?"),
    ("mention", "<!channel> what's for lunch?", "What's for lunch, friends?"),
    ("mention", "<!here> what's for lunch?", "What's for lunch, <3?"),
    ("mention", "<!everyone> what's for lunch?", "What's for lunch today?"),
    ("mention", "<@U123ABC> what's for lunch?", "What's for lunch at 12?"),
    ("mention", "<@!123456> what's for lunch?", "What's for lunch, team?"),
    ("mention", "<@&987654> what's for lunch?", "What's for lunch & dinner?"),
    ("mention", "What would @sam pick for lunch?", "What would Sam pick for lunch?"),
    ("hashtags", "What's your #mondaymood #vibes?", "What's your #1 comfort food?"),
    ("promotional", "Buy now and tell us your favourite colour?", "What did you buy first?"),
    ("promotional", "Which item from our sale do you love?", "Best garage sale find?"),
    ("promotional", "Get 20% off: which flavour?", "Which flavour is 20% better?"),
    ("promotional", "Excited for our launch? What will you try?", "What did you have for lunch?"),
    (
        "promotional",
        "Have you tried our new feature? Why?",
        "What new feature would your brain get?",
    ),
    ("promotional", "Sign up today: what's your goal?", "What sign do you look for in a good day?"),
    ("promotional", "Subscribe and share your favourite song?", "Share your favourite song?"),
    ("promotional", "Register now: which workshop?", "Which workshop would you register for?"),
    ("promotional", "Limited time: which colour?", "Which colour, given time?"),
    ("promotional", "Link in bio: what do you think?", "What do you think about bios?"),
    ("promotional", "Use promo code TIGER: which one?", "Which secret code did you use as a kid?"),
    (
        "promotional",
        "Start your free trial: what's first?",
        "What's your first free afternoon for?",
    ),
    ("promotional", "What do you love about our product?", "What product do you love?"),
    ("promotional", "What is our brand's best colour?", "What brand of tea do you drink?"),
    ("promotional", "Which discount will you use?", "Which count do you use?"),
    ("promotional", "Which rocket did they launch?", "Which food would you launch into space?"),
    ("unsafe-word", "What's the sexiest vegetable?", "What's the most elegant vegetable?"),
    ("unsafe-word", "Hey you guys, what's up?", "Hey everyone, what's up?"),
    (
        "unsafe-word",
        "What's the craziest thing you've eaten?",
        "What's the strangest thing you've eaten?",
    ),
    ("unsafe-word", "Which hangover cure works?", "Which cold remedy works?"),
    ("unsafe-word", "What task is on your blacklist?", "What task is on your avoid list?"),
    ("closed-question", "Do you like tea?", "Do you like tea, and why?"),
    ("closed-question", "Have you ever been to Rome?", "Have you ever been to Rome? Tell us."),
    ("closed-question", "Are you a morning person?", "Are you a morning person or a night owl?"),
    ("closed-question", "Is it hard to wake up early?", "What makes it hard to wake up early?"),
    ("closed-question", "Can you juggle?", "Can you juggle? How did you learn?"),
]


def rules_broken(text: str) -> set[str]:
    return {finding.rule_id for finding in lint_text(text)}


@pytest.mark.parametrize(("rule", "positive", "negative"), CASES)
def test_rule_fires_on_positive_and_not_on_negative(
    rule: str, positive: str, negative: str
) -> None:
    assert rule in rules_broken(positive)
    assert rule not in rules_broken(negative)


def test_every_rule_has_a_case_and_a_one_line_explanation() -> None:
    tested = {rule for rule, _, _ in CASES} | {"near-duplicate"}
    assert tested == set(RULES)
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.severity in ("error", "warning")
        assert rule.explanation and "\n" not in rule.explanation


def test_findings_carry_the_rule_severity() -> None:
    findings = lint_text("Do you like tea?") + lint_text("Buy now: tea?")

    assert [(f.rule_id, f.severity) for f in findings] == [
        ("closed-question", "warning"),
        ("promotional", "error"),
    ]


def test_word_boundaries_prevent_false_positives() -> None:
    honest = [
        "What did you have for lunch on your first day?",
        "Which class taught you the most?",
        "What's the best thing about Essex or Sussex?",
        "Which psychology fact surprised you?",
        "Which subscription to silence would you take, the bus or the library?",
    ]

    assert {text: rules_broken(text) for text in honest} == {text: set() for text in honest}


def test_the_bar_passes_cleanly() -> None:
    assert lint_text("Which do you find more daunting, infinity or zero?") == []
    assert lint_text("If you had to be one, would you be a tiger or a bluebird?") == []


def draft(key: str, text: str) -> PromptDraft:
    return PromptDraft(key=key, text=text, category="food")


def test_lint_drafts_combines_rule_findings_and_near_duplicates() -> None:
    drafts = [
        draft("a/1", "What's your favourite smell?"),
        draft("a/2", "What is your favorite smell?"),
        draft("a/3", "Do you like tea?"),
    ]

    report = lint_drafts(drafts)

    assert not report.ok
    assert [(f.key, f.finding.rule_id) for f in report.errors] == [("a/2", "near-duplicate")]
    assert [(f.key, f.finding.rule_id) for f in report.warnings] == [("a/3", "closed-question")]
    assert "a/1" in report.errors[0].finding.message


def test_lint_drafts_checks_against_the_library_but_not_a_draft_against_itself() -> None:
    library = [("b/1", "Which smell do you love most?"), ("a/1", "What's your favourite smell?")]

    report = lint_drafts([draft("a/1", "What's your favourite smell?")], library)
    clash = lint_drafts([draft("new", "Which smell do you love the most?")], library)

    assert report.ok and report.duplicates == ()
    assert [(p.first_key, p.second_key) for p in clash.duplicates] == [("new", "b/1")]
    assert [f.key for f in clash.errors] == ["new"]


def test_a_clean_batch_is_ok() -> None:
    report = lint_drafts([draft("a/1", "What's a dish that tastes like home?")])

    assert report.ok and report.errors == [] and report.warnings == []
