"""Scheduled briefings: one row per channel, followed by every instance.

A schedule set through one instance reaches the others at their next poll (they compare
``updated_at``); each slot is posted once across instances through the delivery ledger
(event ``briefing:<channel>:<slot>``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.sql import upsert, utc
from bot.store.tables import briefing_schedules


@dataclass(frozen=True, slots=True)
class BriefingSchedule:
    guild_id: int
    channel_id: int
    cron: str
    timezone: str
    created_by: int | None
    #: When the schedule was last set: how instances notice a change made through another one.
    updated_at: dt.datetime | None = None


def briefing_event(channel_id: int, slot: dt.datetime) -> str:
    """The ledger key of one scheduled briefing: a channel and the slot's fire time (UTC, to the minute)."""
    return f"briefing:{channel_id}:{slot.astimezone(dt.UTC).replace(second=0, microsecond=0).isoformat()}"


class Schedules:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def set(self, schedule: BriefingSchedule, now: dt.datetime) -> BriefingSchedule:
        values = {"guild_id": schedule.guild_id, "channel_id": schedule.channel_id, "cron": schedule.cron,
                  "timezone": schedule.timezone, "created_by": schedule.created_by, "created_at": now,
                  "updated_at": now}  # fmt: skip
        async with self.engine.begin() as conn:
            await conn.execute(upsert(conn, briefing_schedules, values, key=["channel_id"],
                                      update=["guild_id", "cron", "timezone", "created_by", "updated_at"]))  # fmt: skip
        return BriefingSchedule(schedule.guild_id, schedule.channel_id, schedule.cron, schedule.timezone,
                                schedule.created_by, now)  # fmt: skip

    async def remove(self, channel_id: int) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(briefing_schedules).where(briefing_schedules.c.channel_id == channel_id))
        return result.rowcount > 0

    async def all(self) -> list[BriefingSchedule]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(briefing_schedules).order_by(briefing_schedules.c.id))
            return [
                BriefingSchedule(r.guild_id, r.channel_id, r.cron, r.timezone, r.created_by, utc(r.updated_at))
                for r in rows
            ]
