"""Library health in chat: the days-left line, the community's `recycle`, `recycle-after`
and `anonymous-suggestions` settings, and editing a waiting suggestion."""

from __future__ import annotations

from dataclasses import replace

from bot.chat.prompt_commands import split_category
from bot.core.authz import Caller
from bot.core.domain import Community
from bot.core.invocations import CommandError, Reply
from bot.core.library_health import RECYCLE_AFTER_LIMITS, LibraryHealthSettings, RecycleMode
from bot.core.text import neutralise_mentions
from bot.learning.days_left import DaysLeft
from bot.service_layer.services import Tigerbird

HEALTH_SETTINGS = ("recycle", "recycle-after", "anonymous-suggestions")
ON_OFF = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}


def days_left_line(left: DaysLeft) -> str:
    """`Library: 23 days left before repeats (shortest categories: food (3), …)`."""
    text = f"Library: {left.label()} left before repeats"
    if left.low and left.short:
        text += f" (shortest categories: {left.short_label()})"
    return text + "."


def describe_health(settings: LibraryHealthSettings) -> str:
    return (
        f"recycle {settings.recycle.value} · recycle-after {settings.recycle_after_days} days · "
        f"anonymous-suggestions {'on' if settings.anonymous_suggestions else 'off'}"
    )


def changed_health(settings: LibraryHealthSettings, name: str, value: str) -> LibraryHealthSettings:
    """The settings with `name` set to `value`, or a CommandError naming the allowed values."""
    if name == "recycle":
        allowed = [m.value for m in RecycleMode]
        if value.lower() not in allowed:
            raise CommandError(f"recycle: '{value}' must be one of {', '.join(allowed)}")
        return replace(settings, recycle=RecycleMode(value.lower()))
    if name == "recycle-after":
        low, high = RECYCLE_AFTER_LIMITS
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            raise CommandError(f"recycle-after: '{value}' must be a number of days {low}..{high}")
        return replace(settings, recycle_after_days=int(value))
    if value.lower() not in ON_OFF:
        raise CommandError(f"{name}: '{value}' must be on or off")
    return replace(settings, anonymous_suggestions=ON_OFF[value.lower()])


async def apply_health_setting(
    service: Tigerbird, community: Community, name: str, values: list[str]
) -> str:
    """`settings recycle|recycle-after|anonymous-suggestions <value>` for the community."""
    if not values:
        raise CommandError(f"settings {name}: give a value")
    current = await service.health_settings(community.id)
    await service.update_health_settings(community.id, changed_health(current, name, values[0]))
    return f"{name} set to {neutralise_mentions(values[0])}."


def parse_edit(rest: str) -> tuple[int, str, str | None]:
    """`<id> <text> [#category]` -> (id, text, category or None)."""
    head, _, text = rest.strip().partition(" ")
    number = head.removeprefix("#")
    if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= 10**12:
        raise CommandError(f"edit: '{neutralise_mentions(head)}' is not a suggestion id")
    words = text.split()
    category = None
    if words and words[-1].startswith("#") and len(words[-1]) > 1:
        text, category = split_category(text)
    return int(number), text, category


async def edit_suggestion(service: Tigerbird, caller: Caller, rest: str) -> Reply:
    """`suggest edit <id> <text> [#category]` (own suggestion) or `edit ...` (a manager)."""
    prompt_id, text, category = parse_edit(rest)
    edited, warnings = await service.suggestion_edits().edit(caller, prompt_id, text, category)
    note = f" (note: {'; '.join(warnings)})" if warnings else ""
    return Reply(
        neutralise_mentions(
            f"Suggestion #{edited.id} now reads: “{edited.text}” [{edited.category}]{note}."
        )
    )
