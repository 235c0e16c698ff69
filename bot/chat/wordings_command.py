"""`/tigerbird stats wordings <id>` and `/tigerbird promote <id> <A|B|C>`: a prompt's A/B
wordings with their rates in this community, and promoting the winner."""

from __future__ import annotations

from bot.analytics.wordings import wording_lines, wording_report
from bot.core.authz import Caller
from bot.core.invocations import CommandError
from bot.core.text import neutralise_mentions
from bot.service_layer.wordings import WordingManagement


def prompt_id_of(text: str, command: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 10**12:
        given = neutralise_mentions(text) or "nothing"
        raise CommandError(f"{command}: the prompt id must be a number, not '{given}'")
    return int(text)


async def wordings_text(wordings: WordingManagement, caller: Caller, args: list[str]) -> str:
    """Each wording's rate and 90 % interval in this community, and the verdict."""
    if len(args) != 1:
        raise CommandError("stats wordings: give one prompt id, e.g. `stats wordings 12`")
    data = await wordings.data(caller, prompt_id_of(args[0], "stats wordings"))
    report = wording_report(data)
    lines = [f"*Wordings of prompt #{report.prompt_id}, in this community:*"]
    lines += wording_lines(report)
    if report.winner is not None and not report.winner.pinned:
        lines.append(f"Promote it: `/tigerbird promote {report.prompt_id} {report.winner.label}`")
    return neutralise_mentions("\n".join(lines))


async def promote_text(wordings: WordingManagement, caller: Caller, args: list[str]) -> str:
    if len(args) != 2:
        raise CommandError("promote: give a prompt id and a wording, e.g. `promote 12 B`")
    done = await wordings.promote(caller, prompt_id_of(args[0], "promote"), args[1])
    return neutralise_mentions(done)
