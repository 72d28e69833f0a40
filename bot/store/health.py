"""What the watcher knows about its source: validators, the last check, change and success, the problem.

Each write names only the columns it changes, in one upsert, and counts failures in SQL
(``consecutive_failures + 1``): several processes checking the same source never overwrite each
other's columns with a stale copy of the whole row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import DateTime, Row, bindparam, case, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import rules
from bot.store.sql import dialect_insert, upsert, utc
from bot.store.tables import source_health

_TIMES = ("last_check_at", "last_success_at", "last_change_at", "problem_since")


@dataclass(frozen=True, slots=True)
class SourceHealth:
    source_key: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    last_check_at: dt.datetime | None = None
    last_success_at: dt.datetime | None = None
    last_change_at: dt.datetime | None = None
    problem: str | None = None
    problem_key: str | None = None
    problem_since: dt.datetime | None = None
    consecutive_failures: int = 0


COLUMNS = frozenset(f.name for f in fields(SourceHealth)) - {"source_key"}


class HealthRecords:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def get(self, source_key: str) -> SourceHealth:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(source_health).where(source_health.c.source_key == source_key))).first()
        return _health(row) if row else SourceHealth(source_key)

    async def update(self, source_key: str, **columns: object) -> None:
        """Write the given columns of the source's row (creating it), and no others."""
        unknown = set(columns) - COLUMNS
        if unknown:
            raise ValueError(f"not source-health columns: {sorted(unknown)}")
        values = {"source_key": source_key, "consecutive_failures": 0, **columns}
        async with self.engine.begin() as conn:
            await conn.execute(upsert(conn, source_health, values, key=["source_key"], update=sorted(columns)))

    async def record_unchanged(self, source_key: str, now: dt.datetime, etag: str | None, last_modified: str | None
                               ) -> None:  # fmt: skip
        """A check that found what the store has: the same statement the quick check runs (:mod:`bot.store.rules`)."""
        statement = text(rules.RECORD_UNCHANGED).bindparams(bindparam("now", type_=DateTime(timezone=True)))
        async with self.engine.begin() as conn:
            result = await conn.execute(statement, {"now": now, "etag": etag, "last_modified": last_modified,
                                                    "source_key": source_key})  # fmt: skip
            if result.rowcount == 0:  # a first check that found nothing: the row does not exist yet
                await conn.execute(upsert(conn, source_health, {"source_key": source_key, "last_check_at": now,
                                                                "last_success_at": now, "consecutive_failures": 0,
                                                                "etag": etag, "last_modified": last_modified},
                                          key=["source_key"], update=["last_check_at", "last_success_at"]))  # fmt: skip

    async def record_problem(self, source_key: str, problem: str, problem_key: str, now: dt.datetime,
                             **columns: object) -> SourceHealth:  # fmt: skip
        """Record a failed check: one more failure in a row; ``problem_since`` kept while it is the same problem."""
        values = {"source_key": source_key, "problem": problem, "problem_key": problem_key, "problem_since": now,
                  "last_check_at": now, "consecutive_failures": 1, **columns}  # fmt: skip
        async with self.engine.begin() as conn:
            table = source_health.c
            statement = (
                dialect_insert(conn, source_health)
                .values(**values)
                .on_conflict_do_update(
                    index_elements=["source_key"],
                    set_={
                        "problem": problem,
                        "problem_key": problem_key,
                        "last_check_at": now,
                        "consecutive_failures": table.consecutive_failures + 1,
                        "problem_since": case((table.problem_key == problem_key, table.problem_since), else_=now),
                        **columns,
                    },
                )
            )
            await conn.execute(statement)
            row = (await conn.execute(select(source_health).where(table.source_key == source_key))).one()
        return _health(row)


def _health(row: Row[Any]) -> SourceHealth:
    values = dict(row._mapping)
    for key in _TIMES:
        values[key] = utc(values[key])
    return SourceHealth(**values)
