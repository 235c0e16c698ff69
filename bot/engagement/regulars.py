"""The monthly regulars board of a channel: who answered the most distinct posts that month,
and a welcome for first-time responders. Only members who opted in are named; the others are
counted; members who opted out of rituals are left out altogether. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.core.rituals import MemberName, MonthlyResponder, RitualMember, Spoken

TOP = 5  # the board names (or counts) the members with the five highest counts


def _names(members: Sequence[RitualMember]) -> list[str | MemberName]:
    parts: list[str | MemberName] = []
    for i, member in enumerate(members):
        if i:
            parts.append(", ")
        parts.append(MemberName(member.platform_id or ""))
    return parts


def board(
    month: str,
    start: datetime,
    responders: Sequence[MonthlyResponder],
    choices: Mapping[str, RitualMember],
) -> Spoken | None:
    """The board for `month` (e.g. "March 2026", which began at `start`), or None when no
    member who takes part answered that month."""
    taking_part = [r for r in responders if not _out(choices.get(r.member_key))]
    if not taking_part:
        return None
    ranked = sorted(taking_part, key=lambda r: (-r.posts_answered, r.first_answer_at, r.member_key))
    counts = sorted({r.posts_answered for r in ranked}, reverse=True)[:TOP]
    top = [r for r in ranked if r.posts_answered in counts]
    parts: list[str | MemberName] = [
        f"📅 Regulars of {month}: {len(taking_part)} member{'s' if len(taking_part) != 1 else ''}"
        " answered here. Most answers: "
    ]
    unnamed = 0
    shown = 0
    for r in top:
        member = choices.get(r.member_key)
        if member is not None and member.named and member.platform_id:
            parts += [
                ", " if shown else "",
                MemberName(member.platform_id),
                f" ({r.posts_answered})",
            ]
            shown += 1
        else:
            unnamed += 1
    if unnamed:
        parts.append(f"{', ' if shown else ''}{unnamed} member{'s' if unnamed > 1 else ''} ")
        parts.append(f"who keep{'' if unnamed > 1 else 's'} to themselves")
    parts.append(".")
    parts += _welcome(taking_part, start, choices)
    return tuple(p for p in parts if p != "")


def _welcome(
    taking_part: Sequence[MonthlyResponder], start: datetime, choices: Mapping[str, RitualMember]
) -> list[str | MemberName]:
    firsts = sorted(
        (r for r in taking_part if r.first_answer_at >= start),
        key=lambda r: (r.first_answer_at, r.member_key),
    )
    if not firsts:
        return []
    named = [
        m
        for r in firsts
        if (m := choices.get(r.member_key)) is not None and m.named and m.platform_id
    ]
    others = len(firsts) - len(named)
    parts: list[str | MemberName] = ["\nWelcome to our first-time responders: "]
    parts += _names(named)
    if others:
        parts.append(f"{' and ' if named else ''}{others} {'more' if named else 'new'} member")
        parts.append("s" if others > 1 else "")
    parts.append("! 👋")
    return parts


def _out(member: RitualMember | None) -> bool:
    return member is not None and member.opted_out
