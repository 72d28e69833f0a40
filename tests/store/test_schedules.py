"""Briefing schedules, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt

from bot.store.database import Store
from bot.store.schedules import BriefingSchedule, briefing_event
from tests.store.conftest import NOW


async def test_briefing_schedules_upsert_per_channel(database_url) -> None:
    async with Store.open(database_url) as store:
        await store.schedules.set(BriefingSchedule(1, 7, "0 8 * * mon", "Europe/Rome", 3), NOW)
        later = NOW + dt.timedelta(hours=1)
        await store.schedules.set(BriefingSchedule(1, 7, "30 7 * * *", "UTC", 3), later)
        assert await store.schedules.all() == [BriefingSchedule(1, 7, "30 7 * * *", "UTC", 3, later)]
        assert await store.schedules.remove(7)
        assert await store.schedules.all() == []


def test_a_slot_is_named_by_its_utc_minute() -> None:
    """Every instance names a slot alike, whatever its time zone or the seconds it fired at."""
    rome = dt.timezone(dt.timedelta(hours=2))
    slot = dt.datetime(2025, 6, 2, 10, 0, 31, tzinfo=rome)
    assert briefing_event(7, slot) == "briefing:7:2025-06-02T08:00:00+00:00"
