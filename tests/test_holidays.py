"""Public-holiday calendars: parsing the codes, naming a slot's holiday on the schedule's local
date (time zones and DST), skipping or posting a lighter category on one, the preview saying
why; on the memory store, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.domain import PlatformName, PostStatus, ScheduleSpec
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from bot.scheduling.holiday_calendars import (
    holiday_on,
    on_holiday_text,
    parse_holidays,
    parse_on_holiday,
    slot_holiday,
)
from bot.scheduling.parse import ScheduleError, build_spec
from bot.service_layer.schedule_form import ScheduleForm, form_of, parse_form
from bot.service_layer.services import Tigerbird
from bot.testing.platform import FakePlatform, FrozenClock
from tests.helpers import drafts, make_service

CHRISTMAS_EVE = datetime(2026, 12, 24, 8, 0, tzinfo=UTC)


def test_codes_are_normalised_and_checked() -> None:
    assert parse_holidays(" us, de-by ,GB-SCT,US") == ("US", "DE-BY", "GB-SCT")
    assert parse_holidays("none") == parse_holidays("") == ()
    with pytest.raises(ScheduleError) as country:
        parse_holidays("US,XX")
    assert country.value.field == "holidays"
    assert "'XX' is not a country" in country.value.message
    assert "tigerbird schedule holiday-codes" in country.value.message
    with pytest.raises(ScheduleError) as subdivision:
        parse_holidays("DE-XX")
    assert "DE has no subdivision 'XX'" in subdivision.value.message
    assert "BY" in subdivision.value.message.split("subdivisions are", 1)[1]


def test_on_holiday_is_skip_or_a_category() -> None:
    assert parse_on_holiday("skip") is None
    assert parse_on_holiday("Category:small-joys") == "small-joys"
    for bad in ("post", "category:", "lighter:food"):
        with pytest.raises(ScheduleError) as error:
            parse_on_holiday(bad)
        assert error.value.field == "on_holiday" and "category:NAME" in error.value.message
    with pytest.raises(ScheduleError) as alone:
        build_spec(at="09:00", tz="UTC", on_holiday="category:food")
    assert alone.value.field == "on_holiday" and "give holidays too" in alone.value.message
    spec = build_spec(at="09:00", tz="UTC", holidays="us", on_holiday="category:food")
    assert spec.holidays == ("US",) and on_holiday_text(spec) == "category:food"


def test_subdivisions_have_their_own_holidays() -> None:
    epiphany, boxing_day = date(2026, 1, 6), date(2026, 1, 2)
    assert holiday_on(("DE",), epiphany) is None
    assert holiday_on(("DE-BY",), epiphany) is not None  # Bavaria keeps Epiphany
    assert holiday_on(("GB-ENG",), boxing_day) is None
    assert holiday_on(("GB-SCT",), boxing_day) is not None  # 2 January, Scotland only
    both = holiday_on(("US", "CA"), date(2026, 12, 25))
    assert both is not None and "Christmas" in both and "(US, CA)" in both
    assert holiday_on(("US", "CA"), date(2026, 12, 23)) is None


def test_a_holiday_is_the_schedules_local_date() -> None:
    auckland = ScheduleSpec(times=(time(9, 0),), timezone="Pacific/Auckland", holidays=("NZ",))
    # 09:00 on 25 December in Auckland (UTC+13, summer time) is still the 24th in UTC.
    morning = datetime(2026, 12, 24, 20, 0, tzinfo=UTC)
    assert (name := slot_holiday(auckland, morning)) is not None and "Christmas" in name
    los_angeles = replace(auckland, timezone="America/Los_Angeles", holidays=("US",))
    # 20:00 on 24 December in Los Angeles is already the 25th in UTC: not a holiday there.
    evening = datetime(2026, 12, 25, 4, 0, tzinfo=UTC)
    assert slot_holiday(los_angeles, evening) is None
    berlin = ScheduleSpec(timezone="Europe/Berlin", holidays=("DE",))
    # 00:30 on 1 May in Berlin (UTC+2, summer time) is 30 April 22:30 UTC: Labour Day.
    assert slot_holiday(berlin, datetime(2026, 4, 30, 22, 30, tzinfo=UTC)) is not None
    assert slot_holiday(berlin, datetime(2026, 4, 30, 21, 30, tzinfo=UTC)) is None
    assert slot_holiday(replace(berlin, holidays=()), datetime(2026, 5, 1, 9, tzinfo=UTC)) is None


def test_the_form_checks_and_refills_the_holiday_fields() -> None:
    options = parse_form(ScheduleForm(holidays="us,ca", on_holiday="category:food"))
    assert options.spec.holidays == ("US", "CA") and options.spec.holiday_category == "food"
    refilled = form_of(options.spec, options.catch_up, options.repeat_window_days)
    assert (refilled.holidays, refilled.on_holiday) == ("US,CA", "category:food")
    for form, field in [
        (ScheduleForm(holidays="Narnia"), "holidays"),
        (ScheduleForm(holidays="US", on_holiday="category:snacks"), "on_holiday"),
        (ScheduleForm(holidays="US", on_holiday="sometimes"), "on_holiday"),
    ]:
        with pytest.raises(ScheduleError) as error:
            parse_form(form)
        assert error.value.field == field


async def _holiday_schedule(
    store: UnitOfWorkFactory, category: str | None
) -> tuple[int, Tigerbird, FakePlatform, FrozenClock]:
    """A daily 09:00 UTC schedule of small-joys prompts following the US holidays."""
    clock = FrozenClock(CHRISTMAS_EVE)
    service, platform = make_service(store, clock)
    food = [replace(d, key=f"food/{i}") for i, d in enumerate(drafts(6, "food"))]
    await service.add_prompts([*drafts(6, "small-joys"), *food])
    spec = ScheduleSpec(times=(time(9, 0),), holidays=("US",), holiday_category=category)
    schedule, _ = await service.add_schedule(
        PlatformName.SLACK, "T1", NewSchedule(0, "C1", spec, categories=("small-joys",))
    )
    return schedule.id, service, platform, clock


async def test_a_holiday_is_skipped_and_recorded(store: UnitOfWorkFactory) -> None:
    schedule_id, service, platform, clock = await _holiday_schedule(store, None)
    stored = await service.get_schedule(schedule_id)
    assert stored.spec.holidays == ("US",) and stored.spec.holiday_category is None
    for day in range(3):  # 24, 25 (Christmas), 26 December
        clock.set(datetime(2026, 12, 24 + day, 9, 0, 5, tzinfo=UTC))
        await service.post_due()
    posts = sorted(await service.posts_of(schedule_id), key=lambda p: p.slot_at)
    assert [p.status for p in posts] == [PostStatus.SENT, PostStatus.SKIPPED, PostStatus.SENT]
    assert posts[1].slot_at.date() == date(2026, 12, 25) and posts[1].prompt_id is None
    assert len(platform.messages) == 2


async def test_a_holiday_posts_from_the_lighter_category(store: UnitOfWorkFactory) -> None:
    schedule_id, service, _, clock = await _holiday_schedule(store, "food")
    previews = await service.preview(schedule_id, 3)
    assert [p.holiday is not None for p in previews] == [False, True, False]
    assert previews[1].holiday is not None and "Christmas" in previews[1].holiday
    assert [p.prompt.category if p.prompt else None for p in previews] == [
        "small-joys", "food", "small-joys"
    ]  # fmt: skip
    for day in range(3):
        clock.set(datetime(2026, 12, 24 + day, 9, 0, 5, tzinfo=UTC))
        await service.post_due()
    posts = sorted(await service.posts_of(schedule_id), key=lambda p: p.slot_at)
    prompts = {p.id: p for p in await service.list_prompts()}
    assert [p.status for p in posts] == [PostStatus.SENT] * 3
    assert [prompts[p.prompt_id].category for p in posts if p.prompt_id] == [
        "small-joys", "food", "small-joys"
    ]  # fmt: skip


async def test_the_preview_says_a_skipped_slot_is_a_holiday(store: UnitOfWorkFactory) -> None:
    schedule_id, service, _, _ = await _holiday_schedule(store, None)
    previews = await service.preview(schedule_id, 3)
    skipped = previews[1]
    assert skipped.prompt is None and skipped.holiday == "Christmas Day (US)"
    assert skipped.local.date() == date(2026, 12, 25)
    assert previews[0].prompt is not None and previews[0].holiday is None
    assert previews[2].slot_at - previews[0].slot_at == timedelta(days=2)
