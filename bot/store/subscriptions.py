"""Who gets digests: a channel or a webhook per row, with its filters and its delivered-through cursor.

The cursor replaces a search of the ledger for every subscription × change: every change up to
``delivered_through`` has been dealt with for the destination (sent, filtered out, or failed for
good), and the changes after it are pending. Subscribing is one upsert, so several processes that
subscribe the same destination at once all succeed and leave one row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.snapshots import last_position_query
from bot.store.sql import upsert, utc_required
from bot.store.tables import subscriptions

#: What re-subscribing changes; the cursor (and so the place in the chain) stays.
_FILTERS = ["announcements", "guild_id", "channel_id", "webhook_id", "min_change", "min_percent", "nations",
            "mention_role_id", "created_by", "created_at"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    destination_key: str
    guild_id: int | None
    channel_id: int | None
    webhook_id: str | None
    min_change: int
    min_percent: float
    nations: frozenset[str] | None
    mention_role_id: int | None
    created_by: int | None
    created_at: dt.datetime
    mission: str
    delivered_through: int
    failures: int = 0
    #: Announcements from the news feeds: "on", "official" (official feeds only) or "off".
    announcements: str = "on"

    def wants(self, nation: str, tier: str) -> bool:
        """Whether an announcement about ``nation`` from a feed of ``tier`` goes to this destination."""
        if self.announcements == "off" or (self.announcements == "official" and tier != "official"):
            return False
        return self.nations is None or nation in self.nations


class Subscriptions:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def subscribe(
        self,
        *,
        destination_key: str,
        mission: str,
        now: dt.datetime,
        guild_id: int | None = None,
        channel_id: int | None = None,
        webhook_id: str | None = None,
        min_change: int = 1,
        min_percent: float = 0.0,
        nations: Sequence[str] | None = None,
        mention_role_id: int | None = None,
        created_by: int | None = None,
        announcements: str = "on",
    ) -> Subscription:
        """Create or update the subscription of a destination; only changes after today's chain end are sent.

        Re-subscribing replaces the filters and keeps the cursor: nothing is skipped or repeated.
        """
        values = {
            "destination_key": destination_key,
            "guild_id": guild_id,
            "channel_id": channel_id,
            "webhook_id": webhook_id,
            "min_change": min_change,
            "min_percent": min_percent,
            "nations": json.dumps(sorted(nations)) if nations else None,
            "mention_role_id": mention_role_id,
            "created_by": created_by,
            "announcements": announcements,
            "created_at": now,
            "mission": mission,
            "delivered_through": select(func.coalesce(last_position_query(mission).scalar_subquery(), 0))
            .scalar_subquery(),
        }  # fmt: skip
        async with self.engine.begin() as conn:
            await conn.execute(upsert(conn, subscriptions, values, key=["destination_key"], update=_FILTERS))
        subscription = await self.get(destination_key)
        if subscription is None:  # pragma: no cover - just written in the same database
            raise RuntimeError(f"subscription {destination_key} vanished right after it was written")
        return subscription

    async def unsubscribe(self, destination_key: str) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(subscriptions).where(subscriptions.c.destination_key == destination_key))
        return result.rowcount > 0

    async def get(self, destination_key: str) -> Subscription | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(select(subscriptions).where(subscriptions.c.destination_key == destination_key))
            ).first()
        return _subscription(row) if row else None

    async def all(self, mission: str | None = None, guild_id: int | None = None) -> list[Subscription]:
        query = select(subscriptions).order_by(subscriptions.c.id)
        if mission is not None:
            query = query.where(subscriptions.c.mission == mission)
        if guild_id is not None:
            query = query.where(subscriptions.c.guild_id == guild_id)
        async with self.engine.connect() as conn:
            return [_subscription(row) for row in await conn.execute(query)]

    async def behind(self, mission: str, position: int) -> list[Subscription]:
        """The subscriptions that have not had every change up to ``position``."""
        query = (
            select(subscriptions)
            .where(and_(subscriptions.c.mission == mission, subscriptions.c.delivered_through < position))
            .order_by(subscriptions.c.id)
        )
        async with self.engine.connect() as conn:
            return [_subscription(row) for row in await conn.execute(query)]

    async def record_failure(self, destination_key: str) -> int:
        """One more failed delivery in a row; returns how many now (0 when there is no such subscription)."""
        table = subscriptions.c
        async with self.engine.begin() as conn:
            await conn.execute(
                update(subscriptions).where(table.destination_key == destination_key)
                .values(failures=table.failures + 1)
            )  # fmt: skip
            count: int | None = (
                await conn.execute(select(table.failures).where(table.destination_key == destination_key))
            ).scalar()
        return count or 0

    async def reset_failures(self, destination_key: str) -> None:
        """A delivery went through: the count of failures in a row starts again."""
        table = subscriptions.c
        async with self.engine.begin() as conn:
            await conn.execute(
                update(subscriptions).where(and_(table.destination_key == destination_key, table.failures > 0))
                .values(failures=0)
            )  # fmt: skip


def _subscription(row: Row[Any]) -> Subscription:
    return Subscription(
        id=row.id,
        destination_key=row.destination_key,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        webhook_id=row.webhook_id,
        min_change=row.min_change,
        min_percent=row.min_percent,
        nations=frozenset(json.loads(row.nations)) if row.nations else None,
        mention_role_id=row.mention_role_id,
        created_by=row.created_by,
        created_at=utc_required(row.created_at),
        mission=row.mission,
        delivered_through=row.delivered_through,
        failures=row.failures,
        announcements=row.announcements,
    )
