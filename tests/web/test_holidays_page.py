"""The dashboard's schedule form takes holiday calendars (and refuses an unknown code, naming
the field), the preview names the holiday a slot falls on, and the schedule page shows the best
time to post (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.core.domain import PlatformName
from bot.core.ports import UnitOfWorkFactory
from bot.testing.platform import FrozenClock
from tests.helpers import make_service
from tests.web.test_manage_pages import ADMIN, LIBRARY, _community, _post, _standings
from tests.web.web_stack import web_stack

SQL = pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
FORM = {
    "channel": "C1",
    "times": "09:00",
    "timezone": "America/New_York",
    "rhythm": "days",
    "days": "mon-sun",
    "catch_up": "latest",
    "repeat_window": "0",
}


@SQL
async def test_holidays_in_the_form_the_preview_and_the_best_time(
    store: UnitOfWorkFactory,
) -> None:
    service, _ = make_service(store, FrozenClock(datetime(2026, 12, 20, 8, 0, tzinfo=UTC)))
    async with web_stack(store, {PlatformName.SLACK: _standings()}, service=service) as stack:
        await stack.service.add_prompts(LIBRARY)
        cid = await _community(stack)
        await stack.sign_in(ADMIN, ["T1"])
        page = f"/c/{cid}/schedules"
        status, text = await _post(stack, page, {**FORM, "holidays": "US,Atlantis"}, page)
        assert status == 400 and 'id="holidays-error"' in text
        assert "is not a country with a holiday calendar" in text
        status, text = await _post(
            stack, page, {**FORM, "holidays": "us", "on_holiday": "category:small-joys"}, page
        )
        assert status == 200 and "Schedule added." in text
        assert "Holiday: Christmas Day (US)" in text
        assert 'name="holidays" value="US"' in text
        assert 'value="category:small-joys"' in text
        assert "Best time to post" in text and "Not enough activity yet" in text
        assert "holidays US (category:small-joys)" in text
        found = re.search(r"\(schedule (\d+)\)", text)
        assert found is not None
        [schedule] = await stack.service.list_schedules()
        assert schedule.spec.holidays == ("US",) and schedule.spec.holiday_category == "small-joys"
