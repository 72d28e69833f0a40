"""SQL helpers every aggregate shares: aware datetimes, dialect upserts, named constraint violations."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything in kfor-bot is aware UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utc_required(value: dt.datetime | None) -> dt.datetime:
    """:func:`utc` of a NOT NULL column."""
    if value is None:
        raise ValueError("a NOT NULL datetime column held NULL")
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def dialect_insert(conn: AsyncConnection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """The INSERT of the connection's dialect, which knows ``ON CONFLICT`` (SQLite and PostgreSQL alike)."""
    if conn.dialect.name == "postgresql":  # its dialect module is loaded only by a PostgreSQL store
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    return sqlite.insert(table)


def upsert(
    conn: AsyncConnection, table: Table, values: dict[str, Any], key: list[str], update: list[str]
) -> postgresql.Insert | sqlite.Insert:
    """``INSERT … ON CONFLICT (key) DO UPDATE SET update…`` in the connection's dialect (SQLite or PostgreSQL).

    One statement, so concurrent writers never meet between an update that found nothing and an
    insert that collides.
    """
    statement = dialect_insert(conn, table).values(**values)
    if not update:
        return statement.on_conflict_do_nothing(index_elements=key)
    return statement.on_conflict_do_update(index_elements=key, set_={name: statement.excluded[name] for name in update})


def violates(error: IntegrityError, constraint: str, columns: tuple[str, ...]) -> bool:
    """Whether ``error`` is this unique constraint's violation (and not some other integrity error).

    PostgreSQL (asyncpg) names the constraint; SQLite names the table's columns instead.
    """
    original = getattr(error, "orig", None)
    name = getattr(original, "constraint_name", None) or getattr(getattr(original, "__cause__", None),
                                                                 "constraint_name", None)  # fmt: skip
    if name is not None:
        return bool(name == constraint)
    message = str(original or error)
    return constraint in message or ("UNIQUE constraint failed" in message and all(c in message for c in columns))
