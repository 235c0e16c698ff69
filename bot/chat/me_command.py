"""`/tigerbird me [on|off|show|hide]`: a member's own streaks and answers, and their choices
about the rituals (streak milestones, the regulars board, the best answer). Open to everyone,
answered privately."""

from __future__ import annotations

from bot.core.invocations import CommandError, Invocation, Reply
from bot.core.rituals import MILESTONES
from bot.service_layer.rituals import MemberRituals
from bot.service_layer.services import Tigerbird

USAGE = "me: use `me`, `me off`, `me on`, `me show` or `me hide`"
CHOICES = {
    "off": {"opted_out": True},
    "on": {"opted_out": False},
    "show": {"named": True},
    "hide": {"named": False},
}
SAID = {
    "off": "You are out of the rituals: no streak milestones, never on a board, never featured.",
    "on": "You take part in the rituals again (streak milestones, regulars board, best answer).",
    "show": "The regulars board and the best answer may now show your name.",
    "hide": "You are counted, never named, on the regulars board and with a best answer.",
}


def describe(mine: MemberRituals) -> str:
    """The member's own view: their choices, then their streaks per channel."""
    choices = mine.choices
    if choices.opted_out:
        state = "You are out of the rituals (`/tigerbird me on` to take part)."
    elif choices.named:
        state = (
            "You take part and may be named (`me hide` to be counted only, `me off` to opt out)."
        )
    else:
        state = (
            "You take part, counted but never named (`me show` to be named, `me off` to opt out)."
        )
    lines = [state]
    for s in mine.streaks:
        lines.append(
            f"#{s.channel}: streak {s.current} (best {s.best}), {s.answers} "
            f"answer{'s' if s.answers != 1 else ''}"
        )
    if not mine.streaks:
        lines.append("No answers yet: reply to or react to today's question to start a streak.")
    lines.append(f"Milestones: {', '.join(str(m) for m in MILESTONES)} posts answered in a row.")
    return "\n".join(lines)


async def me(service: Tigerbird, inv: Invocation, args: list[str]) -> Reply:
    """Show the member their rituals, or change their choice; always a private reply."""
    if not args:
        mine = await service.member_rituals(inv.platform, inv.community, inv.member_id)
        return Reply(describe(mine))
    word = args[0].lower()
    if word not in CHOICES or len(args) > 1:
        raise CommandError(USAGE)
    await service.set_member_rituals(inv.platform, inv.community, inv.member_id, **CHOICES[word])
    return Reply(SAID[word])
