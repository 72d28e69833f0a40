"""What went wrong with the store, in one line an operator can act on, and the exit status that says so.

A locked SQLite file, a full disk, a read-only state directory and a database that does not answer
reach kfor-bot as driver exceptions (``sqlite3.OperationalError``, asyncpg's, ``OSError``) wrapped
by SQLAlchemy. None of them loses anything: every write is a transaction and the ledger claims a
message before it is sent, so the next check after the fault clears catches up and delivers each
digest once. What the operator needs is which fault it was; :func:`store_fault` tells.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Literal

from bot.store.urls import sqlite_path

FaultKind = Literal["locked", "disk-full", "read-only", "unreachable"]

#: The exit status of each fault (``kfor-bot check`` and ``webhooks``; 0–3 are check's own outcomes).
EXIT_CODES: dict[FaultKind, int] = {"locked": 4, "disk-full": 5, "read-only": 6, "unreachable": 7}


@dataclass(frozen=True, slots=True)
class StoreFault:
    kind: FaultKind
    message: str

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.kind]


class StoreFaultError(Exception):
    """A store fault, named, on its way to whoever prints it (the bot's start-up, a scheduled job)."""

    def __init__(self, fault: StoreFault) -> None:
        super().__init__(fault.message)
        self.fault = fault


_LOCKED = ("database is locked", "database table is locked")
_FULL = ("database or disk is full", "disk i/o error")
_READ_ONLY = ("readonly database", "read-only file system", "unable to open database file")
_POSTGRES_DOWN = ("connection refused", "connection was closed", "connection is closed", "cannot connect now",
                  "the database system is shutting down", "the database system is starting up",
                  "terminating connection", "connection reset", "server closed the connection")  # fmt: skip


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps: SQLAlchemy's ``orig``, causes and contexts (each once)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return seen


def _kind(exc: BaseException) -> FaultKind | None:
    for link in _chain(exc):
        text = str(link).lower()
        number = getattr(link, "errno", None)
        if any(s in text for s in _LOCKED):
            return "locked"
        if number == errno.ENOSPC or any(s in text for s in _FULL):
            return "disk-full"
        if number in (errno.EROFS, errno.EACCES, errno.EPERM) or any(s in text for s in _READ_ONLY):
            return "read-only"
        if isinstance(link, ConnectionError | TimeoutError) or any(s in text for s in _POSTGRES_DOWN):
            return "unreachable"
        if number in (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT):
            return "unreachable"
    return None


def store_fault(exc: BaseException, url: str) -> StoreFault | None:
    """The store fault behind ``exc`` (raised while using the store at ``url``), or None when it is none.

    The message names the store as the operator wrote it, without a password (``shown`` below).
    """
    kind = _kind(exc)
    if kind is None:
        return None
    path = sqlite_path(url)
    shown = str(path) if path is not None else _without_password(url)
    caught_up = "nothing is lost; the next check catches up once it is fixed"
    message = {
        "locked": f"the store {shown} is locked by another process (still after 5 s); {caught_up}.",
        "disk-full": f"the disk holding the store {shown} is full; free some space: {caught_up}.",
        "read-only": f"cannot write the store {shown}: its file or folder is read-only "
                     f"(check KFOR_STATE_DIR or DATABASE_URL and their permissions); {caught_up}.",
        "unreachable": f"cannot reach the database {shown}: {_reason(exc)}; {caught_up}.",
    }[kind]  # fmt: skip
    return StoreFault(kind, message)


def _without_password(url: str) -> str:
    """``postgresql://user:secret@host/db`` as ``postgresql://user@host/db``."""
    scheme, sep, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}{at}{place}" if at else url


def _reason(exc: BaseException) -> str:
    """The driver's reason, short: SQLAlchemy's own message repeats the statement and links its FAQ."""
    links = _chain(exc)
    inner = next((link for link in links if isinstance(link, OSError)), None) or next(
        (link for link in links if not type(link).__module__.startswith("sqlalchemy")), exc
    )
    text = " ".join(str(inner).split()) or type(inner).__name__
    return text[:200]
