"""`/tigerbird ...` from any platform: parsing, the manager check, and the answers.

Adapters translate a slash command or app command into an Invocation plus the text after
`/tigerbird`, call `ChatCommands.run`, and render the Reply. Nothing here knows a platform.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.analytics.best_time_text import best_time_text
from bot.chat.library_health_commands import (
    HEALTH_SETTINGS,
    apply_health_setting,
    days_left_line,
    describe_health,
    edit_suggestion,
)
from bot.chat.me_command import me
from bot.chat.prompt_commands import PromptCommands
from bot.chat.review import pending_list, set_review_channel
from bot.chat.settings_command import apply_setting, describe_settings
from bot.chat.stats_command import channel_stats
from bot.chat.wordings_command import promote_text, wordings_text
from bot.core.domain import CatchUp, Community, Schedule, SlotPreview
from bot.core.invocations import CommandError, Invocation, Reply
from bot.core.ports import NewSchedule
from bot.core.text import UnsafeText, clean_member_text, neutralise_mentions
from bot.scheduling.holiday_calendars import on_holiday_text
from bot.scheduling.parse import ScheduleError, build_spec, is_timezone
from bot.scheduling.slot_times import local_time
from bot.service_layer.services import NotFound, Tigerbird
from bot.service_layer.wordings import WordingManagement

HELP = """Tigerbird posts one question a day here and learns which ones get people talking.
Managers: `here 09:00[,17:30] [Europe/Paris] [mon-fri]` schedule this channel ·
`now` post one now · `skip` skip the next · `pause` / `resume` · `preview [n]` ·
`add <text> [#category]` · `settings [name value]` (`settings holidays US,CA skip`,
`recycle always|when-empty|off`, `recycle-after <days>`, `anonymous-suggestions on|off`,
`streaks|regulars|best-answer on|off`) ·
`stats [30d|90d|all]` · `stats wordings <id>` (A/B wordings) · `promote <id> <A|B|C>` ·
`besttime` the busiest hour here ·
`pending` · `edit <id> <text> [#category]` · `approve <id>` / `reject <id> <reason>`.
Everyone: `suggest <text> [#category]` · `suggest edit <id> <text>` (your own, while it waits) ·
`me` your answer streaks · `me off` / `me on` opt out of or back in to streaks, the regulars
board and best answers · `me show` / `me hide` be named on them or only counted · `help`."""

OPEN_TO_ALL = {"help", "suggest", "me"}
# Commands that change something: each one that succeeds goes to the audit log.
CHANGING = {"here", "now", "skip", "pause", "resume", "add", "suggest", "edit", "approve", "reject"}
AD_HOC = "posts only on `/tigerbird now`; `/tigerbird here 09:00` posts here daily"
NOTHING_LEFT = (
    "no active prompt fits this channel's categories "
    "(`/tigerbird add <text>`, or `settings categories all`)"
)
Handler = Callable[[Invocation, Community, list[str], str], Awaitable[Reply]]


class ChatCommands:
    """The command set shared by Slack and Discord. Never raises for bad input."""

    def __init__(
        self,
        service: Tigerbird,
        default_timezone: str = "UTC",
        global_managers: tuple[str, ...] = (),
    ) -> None:
        self.service = service
        self.default_timezone = default_timezone
        self.global_managers = global_managers
        self.access = service.access(global_managers)
        self.prompts = PromptCommands(service, self.access)
        self.audit = service.audit_trail(self.access)
        self.wordings = WordingManagement(service.uow, self.access, self.audit)
        self._handlers: dict[str, Handler] = {
            "help": self._help,
            "here": self._here,
            "now": self._now,
            "skip": self._skip,
            "pause": self._pause,
            "resume": self._resume,
            "preview": self._preview,
            "add": self._add,
            "suggest": self._suggest,
            "settings": self._settings,
            "stats": self._stats,
            "besttime": self._besttime,
            "approve": self._approve,
            "reject": self._reject,
            "pending": self._pending,
            "promote": self._promote,
            "edit": self._edit,
            "me": self._me,
        }

    async def run(self, inv: Invocation, text: str) -> Reply:
        """Every door's way in: member text is normalised, the caller resolved and checked
        once (bot.core.authz), and the command runs within the caller's community."""
        unsafe: UnsafeText | None = None
        try:
            text = clean_member_text(text)
        except UnsafeText as error:
            unsafe = error
        words = text.split()
        name = words[0].lower() if words else "help"
        handler = self._handlers.get(name)
        if handler is None:
            return Reply(
                f"Unknown command '{neutralise_mentions(name)}'. Try: "
                + ", ".join(sorted(self._handlers)),
                refused=True,
            )
        try:
            caller = await self.access.caller(inv)
            if name not in OPEN_TO_ALL:
                self.access.require_manager(caller)
            if unsafe is not None:
                raise CommandError(str(unsafe))
            rest = text.strip()[len(words[0]) :].strip() if words else ""
            reply = await handler(inv, caller.community, words[1:], rest)
            if not reply.refused and (name in CHANGING or (name == "settings" and words[1:])):
                detail = f"/tigerbird {' '.join(words)} (in channel {inv.channel})"
                await self.audit.record(caller, f"chat.{name}", detail)
            return reply
        except (CommandError, ScheduleError, NotFound) as error:
            return Reply(neutralise_mentions(str(error)), refused=True)

    async def approve(self, inv: Invocation, prompt_id: int) -> Reply:
        return await self.run(inv, f"approve {prompt_id}")

    async def reject(self, inv: Invocation, prompt_id: int, reason: str) -> Reply:
        return await self.run(inv, f"reject {prompt_id} {reason}")

    def is_manager(self, inv: Invocation, community: Community) -> bool:
        return self.access.caller_in(inv, community).is_manager

    async def _schedule_here(self, inv: Invocation) -> Schedule:
        found = await self.access.schedules_in_channel(inv)
        if not found:
            raise CommandError("This channel has no schedule yet: `/tigerbird here 09:00`.")
        return found[0]

    async def _help(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        return Reply(HELP)

    async def _here(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        if not args:
            raise CommandError("here: give a time, e.g. `here 09:00 Europe/Paris mon-fri`")
        tz = next((a for a in args[1:] if "/" in a or is_timezone(a)), None)
        days = " ".join(a for a in args[1:] if a != tz) or None
        spec = build_spec(at=args[0], tz=tz or self.default_timezone, days=days)
        existing = await self.service.schedules_in_channel(inv.platform, inv.community, inv.channel)
        if existing:
            schedule = await self.service.update_schedule(replace(existing[0], spec=spec))
            if schedule.pause_reason == AD_HOC:  # made by `now`: from here on it posts daily
                schedule = await self.service.resume(schedule.id)
            missing: list[object] = []
        else:
            schedule, found = await self.service.add_schedule(
                inv.platform,
                inv.community,
                NewSchedule(c.id, inv.channel, spec),
                inv.community_name,
            )
            missing = list(found)
        text = f"Scheduled here: {describe(schedule)}."
        if missing:
            text += f" But it is paused until this is fixed: {schedule.pause_reason}"
        return Reply(text, private=False)

    async def _now(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        found = await self.service.schedules_in_channel(inv.platform, inv.community, inv.channel)
        schedule = found[0] if found else await self._ad_hoc_schedule(inv, c)
        post = await self.service.post_now(schedule.id)
        if post is None:
            return Reply(f"Could not post now: {NOTHING_LEFT}")
        if post.status.value != "sent":
            return Reply(f"Could not post now: {post.error or 'the platform did not answer'}")
        hint = "" if found else " To get one here every day: `/tigerbird here 09:00`."
        return Reply("Posted." + hint)

    async def _ad_hoc_schedule(self, inv: Invocation, c: Community) -> Schedule:
        """A paused schedule for a channel that gets prompts only on `now`: even a one-off post
        is a slot row with a marker (exactly once). `here` later turns it into a real one."""
        spec = build_spec(at=None, tz=self.default_timezone)
        new = NewSchedule(c.id, inv.channel, spec)
        schedule, _ = await self.service.add_schedule(
            inv.platform, inv.community, new, inv.community_name
        )
        return schedule if schedule.paused else await self.service.pause(schedule.id, AD_HOC)

    async def _skip(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        schedule = await self.service.skip_next((await self._schedule_here(inv)).id)
        return Reply(f"Skipped. Next: {describe(schedule)}.")

    async def _pause(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        await self.service.pause((await self._schedule_here(inv)).id)
        return Reply("Paused. `/tigerbird resume` to start again.", private=False)

    async def _resume(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        schedule = await self.service.resume((await self._schedule_here(inv)).id)
        return Reply(f"Resumed: {describe(schedule)}.", private=False)

    async def _preview(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        count = _count(args[0] if args else "5", "preview", 1, 14)
        schedule = await self._schedule_here(inv)
        previews = await self.service.preview(schedule.id, count)
        lines = [f"{p.local:%a %d %b %H:%M} — {_slot_text(p)}" for p in previews] or [
            "No upcoming slot."
        ]
        lines.append(days_left_line(await self.service.days_left(schedule.id)))
        return Reply(neutralise_mentions("\n".join(lines)))

    async def _add(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        return await self.prompts.add(inv, c, rest)

    async def _suggest(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        if args and args[0].lower() == "edit" and len(args) > 1:
            edit = rest[len(args[0]) :]
            return await edit_suggestion(self.service, self.access.caller_in(inv, c), edit)
        return await self.prompts.suggest(inv, c, rest)

    async def _edit(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        return await edit_suggestion(self.service, self.access.caller_in(inv, c), rest)

    async def _approve(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        prompt_id = _count(args[0] if args else "", "prompt id", 1, 10**12)
        return await self.prompts.approve(self.access.caller_in(inv, c), prompt_id)

    async def _reject(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        prompt_id = _count(args[0] if args else "", "prompt id", 1, 10**12)
        reason = rest[len(args[0]) :].strip() if args else ""
        return await self.prompts.reject(self.access.caller_in(inv, c), prompt_id, reason)

    async def _pending(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        return Reply(await pending_list(self.access, self.access.caller_in(inv, c)))

    async def _me(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        return await me(self.service, inv, args)

    async def _settings(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        if args and args[0].lower() == "review-channel":  # the community's, not a channel's
            return Reply(await set_review_channel(self.service, c, args[1:], inv.channels))
        if args and args[0].lower() in HEALTH_SETTINGS:  # the community's too
            return Reply(await apply_health_setting(self.service, c, args[0].lower(), args[1:]))
        schedule = await self._schedule_here(inv)
        if not args:
            health = describe_health(await self.service.health_settings(c.id))
            left = (await self.service.days_left(schedule.id)).label()
            return Reply(f"{describe_settings(schedule, c)} · {health} · days left {left}")
        return Reply(await apply_setting(self.service, schedule, c, args))

    async def _promote(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        # Audited by the use case itself (prompt.promote), with the wording promoted.
        return Reply(await promote_text(self.wordings, self.access.caller_in(inv, c), args))

    async def _stats(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        if args and args[0].lower() == "wordings":
            caller = self.access.caller_in(inv, c)
            return Reply(await wordings_text(self.wordings, caller, args[1:]))
        schedule = await self._schedule_here(inv)
        text, chart = await channel_stats(self.service, schedule, args)
        return Reply(text, chart_png=chart)

    async def _besttime(self, inv: Invocation, c: Community, args: list[str], rest: str) -> Reply:
        schedule = await self._schedule_here(inv)
        result = await self.service.best_time(schedule.id)
        return Reply(best_time_text(result, schedule.spec.timezone))


def _slot_text(preview: SlotPreview) -> str:
    """The prompt a previewed slot would get, and the public holiday it falls on, if any."""
    prompt = preview.prompt.text if preview.prompt else None
    if preview.holiday is None:
        return prompt or "(no prompt left)"
    return f"{prompt or '(skipped)'} [holiday: {preview.holiday}]"


def _count(text: str, name: str, low: int, high: int) -> int:
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise CommandError(f"{name}: '{neutralise_mentions(text)}' must be a number {low}..{high}")
    return int(text)


def describe(schedule: Schedule) -> str:
    spec = schedule.spec
    if spec.cron:
        rhythm = f"cron `{spec.cron}`"
    elif spec.every_days:
        rhythm = f"every {spec.every_days} days"
    else:
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        days = "daily" if len(spec.days) == 7 else ",".join(names[d] for d in sorted(spec.days))
        rhythm = f"{'/'.join(t.strftime('%H:%M') for t in spec.times)} {days}"
    text = f"{rhythm} ({spec.timezone})"
    if spec.holidays:
        text += f", holidays {','.join(spec.holidays)} ({on_holiday_text(spec)})"
    if schedule.paused:
        return text + f", paused: {schedule.pause_reason}"
    if schedule.next_slot_at:
        local = local_time(spec, schedule.next_slot_at)
        text += f", next {local:%a %d %b %H:%M} ({schedule.next_slot_at:%H:%M} UTC)"
    return text


__all__ = ["CatchUp", "ChatCommands", "CommandError", "Invocation", "Reply", "describe"]
