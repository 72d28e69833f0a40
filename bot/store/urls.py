"""Database URLs as people write them, turned into SQLAlchemy async URLs.

``sqlite:///PATH`` and ``postgresql://…`` (or ``postgres://``, as hosting platforms write it) are
accepted; the async drivers (aiosqlite, asyncpg) are chosen here so that nobody has to know them.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import UserError


def async_database_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise UserError(f"Database URL {url!r} has no scheme; use sqlite:///PATH or postgresql://USER@HOST/DB.")
    driver = scheme.split("+", 1)[0].lower()
    if driver == "sqlite":
        return f"sqlite+aiosqlite://{rest}"
    if driver in ("postgresql", "postgres"):
        return f"postgresql+asyncpg://{rest}"
    raise UserError(f"Unsupported database {scheme!r}; use sqlite:///PATH or postgresql://USER@HOST/DB.")


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///PATH`` URL (None for other databases and in-memory SQLite)."""
    scheme, _, rest = url.partition("://")
    if scheme.split("+", 1)[0].lower() != "sqlite" or not rest.startswith("/") or rest in ("/", "/:memory:"):
        return None
    return Path(rest[1:])
