"""Announcements in the store: each feed entry once, each story once, its state and what settled it.

:meth:`Announcements.record_entry` takes a feed entry and the claims found in it in one transaction:
the entry's row (unique per feed) is what makes a second reading of it — the same poll in two
processes, a feed that re-issues the story with a new GUID — add nothing. A claim that tells the same
story as an open announcement (:func:`bot.core.announcements.same_story`) adds its publisher to it
instead of a new row; a second independent publisher turns a press candidate into an announcement.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from typing import Any, cast

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.core.announcements import OPEN_STATES, STORY_DAYS, Announcement, State, Verdict, initial_state, same_story
from bot.core.claims.model import Claim, Kind
from bot.store.sql import dialect_insert, utc, utc_required
from bot.store.tables import announcements, feed_items


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording one claim did: a new row, or a source added to an existing story."""

    announcement: Announcement
    new: bool
    #: The story became an announcement with this claim (new and official, or a second publisher): deliver it.
    announced: bool


@dataclass(frozen=True, slots=True)
class ClaimSource:
    """A claim with where it came from and the figure it is measured from."""

    claim: Claim
    publisher: str
    tier: str
    baseline: int | None
    baseline_as_of: str | None
    #: The chain position of that list: only a later list reconciles the claim.
    baseline_position: int | None = None


class Announcements:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def record_entry(self, mission: str, feed_key: str, item_key: str, claims: list[ClaimSource],
                           now: dt.datetime) -> list[Recorded] | None:  # fmt: skip
        """Record a feed entry and its claims, once: None when the entry was recorded before."""
        async with self.engine.begin() as conn:
            inserted = await conn.execute(
                dialect_insert(conn, feed_items)
                .values(feed_key=feed_key, item_key=item_key, seen_at=now)
                .on_conflict_do_nothing(index_elements=["feed_key", "item_key"])
            )
            if inserted.rowcount == 0:
                return None
            return [await self._record(conn, mission, source, now) for source in claims]

    async def _record(self, conn: AsyncConnection, mission: str, source: ClaimSource, now: dt.datetime) -> Recorded:
        claim = source.claim
        since = (claim.published or now) - dt.timedelta(days=STORY_DAYS)
        rows = await conn.execute(
            select(announcements).where(
                announcements.c.mission == mission,
                announcements.c.nation == claim.nation,
                announcements.c.kind == claim.kind,
                announcements.c.recorded_at >= since,
            )
        )
        for row in rows:
            known = _stored(row)
            if not same_story(known.claim, claim):
                continue
            publishers = tuple(dict.fromkeys([*known.publishers, source.publisher]))
            tier = "official" if "official" in (known.tier, source.tier) else "press"
            state = known.state
            promoted = state == "candidate" and initial_state(tier, publishers) == "announced"
            if promoted:
                state = "announced"
            await conn.execute(
                update(announcements)
                .where(announcements.c.id == known.id)
                .values(publishers=json.dumps(publishers), tier=tier, state=state, updated_at=now)
            )
            stored = Announcement(**{**_fields(known), "publishers": publishers, "tier": tier, "state": state,
                                           "updated_at": now})  # fmt: skip
            return Recorded(stored, new=False, announced=promoted)
        state = initial_state(source.tier, [source.publisher])
        values = {"mission": mission, "nation": claim.nation, "kind": claim.kind, "change": claim.change,
                  "level": claim.level, "approximate": claim.approximate, "effective": claim.effective,
                  "link": claim.link, "published": claim.published, "quote": claim.quote, "tier": source.tier,
                  "publishers": json.dumps([source.publisher]), "state": state, "reason": None,
                  "baseline": source.baseline, "baseline_as_of": source.baseline_as_of, "observed": None,
                  "settled_position": source.baseline_position, "recorded_at": now, "updated_at": now}  # fmt: skip
        result = await conn.execute(announcements.insert().values(**values).returning(announcements.c.id))
        new_id = int(result.scalar_one())
        row = (await conn.execute(select(announcements).where(announcements.c.id == new_id))).one()
        return Recorded(_stored(row), new=True, announced=state == "announced")

    async def get(self, announcement_id: int) -> Announcement | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(announcements).where(announcements.c.id == announcement_id))).first()
        return _stored(row) if row else None

    async def open(self, mission: str) -> list[Announcement]:
        """Candidates and announcements no list has settled yet, oldest first."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(announcements)
                .where(announcements.c.mission == mission, announcements.c.state.in_(sorted(OPEN_STATES)))
                .order_by(announcements.c.id)
            )
            return [_stored(row) for row in rows]

    async def recent(self, mission: str, limit: int = 10) -> list[Announcement]:
        """The newest announcements in any state, newest first."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(announcements)
                .where(announcements.c.mission == mission)
                .order_by(announcements.c.id.desc())
                .limit(limit)
            )
            return [_stored(row) for row in rows]

    async def settle(self, announcement_id: int, verdict: Verdict, position: int, now: dt.datetime) -> bool:
        """Record what a list made of an open announcement; False when it was settled or dismissed meanwhile."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(announcements)
                .where(announcements.c.id == announcement_id, announcements.c.state.in_(sorted(OPEN_STATES)))
                .values(
                    state=verdict.state,
                    reason=verdict.reason,
                    observed=verdict.observed,
                    settled_position=position,
                    updated_at=now,
                )
            )
        return result.rowcount > 0

    async def note(self, announcement_id: int, reason: str, position: int, now: dt.datetime) -> None:
        """Say why a list left an open announcement open (shown by ``/kfor announcements``)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(announcements)
                .where(announcements.c.id == announcement_id, announcements.c.state.in_(sorted(OPEN_STATES)))
                .values(reason=reason, settled_position=position, updated_at=now)
            )

    async def dismiss(self, announcement_id: int, now: dt.datetime) -> bool:
        """Set an open announcement aside for good (a manager judged it wrong); False when it was not open."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(announcements)
                .where(announcements.c.id == announcement_id, announcements.c.state.in_(sorted(OPEN_STATES)))
                .values(state="dismissed", reason="dismissed by a manager", updated_at=now)
            )
        return result.rowcount > 0


def _fields(stored: Announcement) -> dict[str, Any]:
    return {field.name: getattr(stored, field.name) for field in fields(Announcement)}


def _stored(row: Row[Any]) -> Announcement:
    claim = Claim(row.nation, cast(Kind, row.kind), row.change, row.level, bool(row.approximate), row.effective,
                  row.link, utc(row.published), row.quote)  # fmt: skip
    return Announcement(row.id, row.mission, claim, row.tier, tuple(json.loads(row.publishers)),
                              cast(State, row.state), row.reason, row.baseline, row.baseline_as_of, row.observed,
                              row.settled_position, utc_required(row.recorded_at),
                              utc_required(row.updated_at))  # fmt: skip
