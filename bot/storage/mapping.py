"""Conversions between rows and domain objects."""

from __future__ import annotations

from datetime import date, time

from bot.core.domain import (
    CatchUp,
    Choice,
    Community,
    PlatformName,
    Post,
    PostStatus,
    Prompt,
    PromptSource,
    PromptStatus,
    Schedule,
    ScheduleSpec,
)
from bot.storage.models import CommunityRow, PostRow, PromptRow, ScheduleRow


def community_from_row(row: CommunityRow) -> Community:
    return Community(
        id=row.id,
        platform=PlatformName(row.platform),
        external_id=row.external_id,
        name=row.name,
        manager_ids=tuple(row.manager_ids or ()),
        manager_role_ids=tuple(row.manager_role_ids or ()),
        review_channel=row.review_channel,
        holdout=row.holdout,
    )


def spec_to_columns(spec: ScheduleSpec) -> dict[str, object]:
    return {
        "times": ",".join(t.strftime("%H:%M") for t in spec.times),
        "timezone": spec.timezone,
        "days": ",".join(str(d) for d in sorted(spec.days)),
        "every_days": spec.every_days,
        "anchor": spec.anchor,
        "cron": spec.cron,
        "quiet_dates": sorted(d.isoformat() for d in spec.quiet_dates),
        "holidays": list(spec.holidays),
        "holiday_category": spec.holiday_category,
    }


def spec_from_row(row: ScheduleRow) -> ScheduleSpec:
    return ScheduleSpec(
        times=tuple(time.fromisoformat(t) for t in row.times.split(",") if t),
        timezone=row.timezone,
        days=frozenset(int(d) for d in row.days.split(",") if d),
        every_days=row.every_days,
        anchor=row.anchor,
        cron=row.cron,
        quiet_dates=frozenset(date.fromisoformat(d) for d in row.quiet_dates or ()),
        holidays=tuple(row.holidays or ()),
        holiday_category=row.holiday_category,
    )


def schedule_from_row(row: ScheduleRow) -> Schedule:
    return Schedule(
        id=row.id,
        community_id=row.community_id,
        channel=row.channel,
        spec=spec_from_row(row),
        catch_up=CatchUp(row.catch_up),
        catch_up_limit=row.catch_up_limit,
        paused=row.paused,
        pause_reason=row.pause_reason,
        thread=row.thread,
        pin=row.pin,
        ping_role=row.ping_role,
        categories=tuple(row.categories or ()),
        repeat_window_days=row.repeat_window_days,
        next_slot_at=row.next_slot_at,
        digest=row.digest,
        digest_weekday=row.digest_weekday,
        digest_time=time.fromisoformat(row.digest_time),
        last_digest_at=row.last_digest_at,
        created_at=row.created_at,
        streaks=row.streaks,
        regulars=row.regulars,
        best_answer=row.best_answer,
    )


def schedule_to_columns(schedule: Schedule) -> dict[str, object]:
    return {
        **spec_to_columns(schedule.spec),
        "channel": schedule.channel,
        "catch_up": schedule.catch_up.value,
        "catch_up_limit": schedule.catch_up_limit,
        "paused": schedule.paused,
        "pause_reason": schedule.pause_reason,
        "thread": schedule.thread,
        "pin": schedule.pin,
        "ping_role": schedule.ping_role,
        "categories": list(schedule.categories),
        "repeat_window_days": schedule.repeat_window_days,
        "next_slot_at": schedule.next_slot_at,
        "digest": schedule.digest,
        "digest_weekday": schedule.digest_weekday,
        "digest_time": schedule.digest_time.strftime("%H:%M"),
        "last_digest_at": schedule.last_digest_at,
        "streaks": schedule.streaks,
        "regulars": schedule.regulars,
        "best_answer": schedule.best_answer,
    }


def prompt_from_row(row: PromptRow) -> Prompt:
    return Prompt(
        id=row.id,
        key=row.key,
        text=row.text,
        category=row.category,
        tags=tuple(row.tags or ()),
        choices=tuple(Choice(emoji, label) for emoji, label in row.choices or ()),
        source=PromptSource(row.source),
        status=PromptStatus(row.status),
        community_id=row.community_id,
        pack=row.pack,
        suggested_by=row.suggested_by,
        created_at=row.created_at,
        variants=tuple(row.variants or ()),
    )


def post_from_row(row: PostRow) -> Post:
    return Post(
        id=row.id,
        schedule_id=row.schedule_id,
        prompt_id=row.prompt_id,
        slot_at=row.slot_at,
        status=PostStatus(row.status),
        marker=row.marker,
        message_id=row.message_id,
        thread_id=row.thread_id,
        pick_probability=row.pick_probability,
        pick_arm=row.pick_arm,
        pick_eligible=row.pick_eligible,
        pick_draws=row.pick_draws,
        posted_at=row.posted_at,
        claimed_at=row.claimed_at,
        error=row.error,
        attempts=row.attempts,
        responders=row.responders,
        audience=row.audience,
        outcome_at=row.outcome_at,
        claimed_by=row.claimed_by,
        wording=row.wording,
    )
