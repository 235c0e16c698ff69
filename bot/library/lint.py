"""Per-prompt lint rules: each has an id, a severity and a one-line explanation."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.library.wordlists import PROMOTIONAL, UNSAFE

Severity = Literal["error", "warning"]
MAX_LENGTH = 280
MAX_HASHTAGS = 1


@dataclass(frozen=True)
class LintFinding:
    """One rule broken by one text."""

    rule_id: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class Rule:
    """A lint rule as documented: `id`, `severity` and a one-line `explanation`."""

    id: str
    severity: Severity
    explanation: str


def _phrases(patterns: tuple[str, ...]) -> re.Pattern[str]:
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<!\w)(?:{joined})(?!\w)", re.IGNORECASE)


_PROMOTIONAL = _phrases(PROMOTIONAL)
_UNSAFE = _phrases(UNSAFE)
_URL = re.compile(
    r"\b(?:https?://|ftp://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|ly|co|gg|app|dev|me|xyz|ai|tv|link)"
    r"(?:/\S*)?(?!\w)",
    re.IGNORECASE,
)
_MENTION = re.compile(
    r"<[!@][^>\s]*>"  # Slack <!here> <!channel> <@U123>, Discord <@123> <@!123> <@&123>
    r"|(?<![\w.+-])@[A-Za-z0-9_][\w.-]*"  # @everyone, @here, @name (an e-mail is not a mention)
)
_HASHTAG = re.compile(r"(?<![\w&#])#[A-Za-z][\w-]*")
_IMPERATIVE_WORDS = (
    "describe share tell name pick choose imagine recommend finish complete invent design "
    "draw sketch explain give list rank suggest teach write recall remember nominate confess "
    "paint plan build create compose fill guess rate sum map picture swap trade vote"
)
_IMPERATIVES = frozenset(_IMPERATIVE_WORDS.split())
_FIRST_WORD = re.compile(r"[A-Za-z']+")
_CLOSED_OPENER = re.compile(
    r"^(?:do|does|did|have|has|had|are|is|was|were|can|could|will|would|should|shall|"
    r"am|may|might)\s+(?:you|your|it|there|anyone|anybody|we|they|this|that|i)\b",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"\b(?:why|what|which|how|where|when|who|whom|whose|tell|describe|share|explain|name|"
    r"pick|if so|rather)\b|\sor\s",
    re.IGNORECASE,
)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("empty", "error", "A prompt needs words; empty or whitespace-only text is refused."),
        Rule("whitespace", "error", "No leading or trailing spaces or line breaks."),
        Rule("too-long", "error", f"At most {MAX_LENGTH} characters, so it reads at a glance."),
        Rule(
            "open-invitation",
            "error",
            "Must invite an answer: contain a question mark or start with an imperative "
            "such as Describe, Share, Tell, Name, Pick.",
        ),
        Rule("url", "error", "No links: the prompt is the whole message."),
        Rule("mention", "error", "No mentions of anyone (@here, @name, <!channel>, <@…>)."),
        Rule("hashtags", "error", f"No hashtag spam: more than {MAX_HASHTAGS} hashtag is refused."),
        Rule(
            "promotional",
            "error",
            "No press-release language (buy now, sale, discount, launch, sign up, our product…): "
            "a prompt is a question, never an advert.",
        ),
        Rule(
            "unsafe-word",
            "error",
            "Safe for work and inclusive: words from the documented list are refused.",
        ),
        Rule(
            "closed-question",
            "warning",
            "A yes/no opener (Do you…, Have you ever…) without a follow-up such as why, what "
            "or 'or' tends to get one-word answers.",
        ),
        Rule(
            "near-duplicate",
            "error",
            "Too similar to another prompt in the same lint run or in the library.",
        ),
    )
}


def _all(pattern: re.Pattern[str], text: str) -> str:
    found = dict.fromkeys(m.group(0) for m in pattern.finditer(text))
    return ", ".join(f"'{word}'" for word in found)


def _check_whitespace(text: str) -> str | None:
    if text != text.strip():
        return "leading or trailing whitespace; remove it"
    return None


def _check_length(text: str) -> str | None:
    if len(text) > MAX_LENGTH:
        return f"{len(text)} characters, at most {MAX_LENGTH} allowed"
    return None


def _check_invitation(text: str) -> str | None:
    if "?" in text:
        return None
    first = _FIRST_WORD.search(text)
    if first and first.group(0).lower() in _IMPERATIVES:
        return None
    return "not an invitation to answer: ask a question or start with Describe, Share, Tell…"


def _check_url(text: str) -> str | None:
    return f"contains a link: {_all(_URL, text)}" if _URL.search(text) else None


def _check_mention(text: str) -> str | None:
    return f"contains a mention: {_all(_MENTION, text)}" if _MENTION.search(text) else None


def _check_hashtags(text: str) -> str | None:
    tags = _HASHTAG.findall(text)
    if len(tags) > MAX_HASHTAGS:
        return f"{len(tags)} hashtags: {', '.join(tags)}"
    return None


def _check_promotional(text: str) -> str | None:
    if _PROMOTIONAL.search(text):
        return f"promotional language: {_all(_PROMOTIONAL, text)}"
    return None


def _check_unsafe(text: str) -> str | None:
    if _UNSAFE.search(text):
        return f"not safe for work or exclusionary: {_all(_UNSAFE, text)}"
    return None


def _check_closed(text: str) -> str | None:
    if _CLOSED_OPENER.match(text.strip()) and not _FOLLOW_UP.search(text):
        return "closed yes/no question; add a follow-up such as 'why?' or 'which one?'"
    return None


_CHECKS: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("whitespace", _check_whitespace),
    ("too-long", _check_length),
    ("open-invitation", _check_invitation),
    ("url", _check_url),
    ("mention", _check_mention),
    ("hashtags", _check_hashtags),
    ("promotional", _check_promotional),
    ("unsafe-word", _check_unsafe),
    ("closed-question", _check_closed),
)


def lint_text(text: str) -> list[LintFinding]:
    """Every rule `text` breaks, errors and warnings alike, in rule order."""
    if not text.strip():
        return [LintFinding("empty", "error", "empty or whitespace-only text")]
    findings = []
    for rule_id, check in _CHECKS:
        message = check(text)
        if message is not None:
            findings.append(LintFinding(rule_id, RULES[rule_id].severity, message))
    return findings
