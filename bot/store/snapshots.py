"""The accepted chain of snapshots of each mission: position 0 is the baseline, each later one a change.

UNIQUE(mission, position) keeps the chain linear however many processes race to append the same
change. Every instance reads what any instance appended (:meth:`SnapshotChain.since`), so the store,
not a process's memory, says which figures are current.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, and_, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.models import Snapshot
from bot.store.sql import utc_required, violates
from bot.store.tables import snapshots


@dataclass(frozen=True, slots=True)
class StoredSnapshot:
    mission: str
    position: int
    content_hash: str
    snapshot: Snapshot
    source: str
    fetched_at: dt.datetime


def last_position_query(mission: str) -> Select[Any]:
    """The end of a mission's chain (NULL when there is none), without loading a snapshot."""
    return select(func.max(snapshots.c.position)).where(snapshots.c.mission == mission)


class SnapshotChain:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def latest(self, mission: str) -> StoredSnapshot | None:
        """The last good snapshot: the end of the accepted chain."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(snapshots)
                    .where(snapshots.c.mission == mission)
                    .order_by(snapshots.c.position.desc())
                    .limit(1)
                )
            ).first()
        return _stored(row) if row else None

    async def at(self, mission: str, position: int) -> StoredSnapshot | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(snapshots).where(and_(snapshots.c.mission == mission, snapshots.c.position == position))
                )
            ).first()
        return _stored(row) if row else None

    async def since(self, mission: str, position: int | None) -> list[StoredSnapshot]:
        """The snapshots after ``position`` (all of them for None), oldest first: what a process has not seen."""
        query = select(snapshots).where(snapshots.c.mission == mission).order_by(snapshots.c.position)
        if position is not None:
            query = query.where(snapshots.c.position > position)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        with _cyclic_gc_paused():
            return [_stored(row) for row in rows]

    async def last_position(self, mission: str) -> int | None:
        async with self.engine.connect() as conn:
            position: int | None = (await conn.execute(last_position_query(mission))).scalar()
        return position

    async def append(
        self, snapshot: Snapshot, content_hash: str, source: str, now: dt.datetime, position: int
    ) -> StoredSnapshot | None:
        """Add ``snapshot`` at ``position`` of its mission's chain; None when another process took that position."""
        values = {
            "mission": snapshot.mission,
            "position": position,
            "content_hash": content_hash,
            "as_of": snapshot.as_of,
            "body": snapshot.to_json(),
            "source": source,
            "fetched_at": now,
        }
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(snapshots).values(**values))
        except IntegrityError as exc:
            if violates(exc, "uq_snapshots_mission_position", ("snapshots.mission", "snapshots.position")):
                return None
            raise
        return StoredSnapshot(snapshot.mission, position, content_hash, snapshot, source, now)


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cycle collector while a batch of snapshots is parsed (synchronously: no other task runs).

    Parsing creates many objects and no reference cycles; with the collector on, its full passes scan
    everything parsed so far again and again, and a start-up with 2,000 stored snapshots took 8× the
    time of one with 500 instead of 4× (bench/bench_history.py). Reference counting still frees garbage.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _stored(row: Row[Any]) -> StoredSnapshot:
    return StoredSnapshot(
        mission=row.mission,
        position=row.position,
        content_hash=row.content_hash,
        snapshot=Snapshot.from_json(row.body),
        source=row.source,
        fetched_at=utc_required(row.fetched_at),
    )
