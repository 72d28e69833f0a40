"""The store: kfor-bot's database, opened once and shared by its aggregates.

``async with Store.open(url) as store`` connects (a SQLite file by default, or PostgreSQL), migrates
to the current schema, and exposes one object per aggregate: ``store.snapshots`` (the accepted
chain), ``store.subscriptions``, ``store.ledger`` (exactly-once delivery), ``store.health`` (the
source's state), ``store.schedules`` and ``store.announcements``. Callers pass ``now`` (an aware
datetime) so that time is a parameter, not a hidden global. Everything that must hold across
processes rests on constraints in the database, never on in-process locks, so several instances
can share one PostgreSQL store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store import rules
from bot.store.announcements import Announcements
from bot.store.health import HealthRecords
from bot.store.ledger import Ledger
from bot.store.revision import HEAD_REVISION  # checked before importing Alembic
from bot.store.schedules import Schedules
from bot.store.snapshots import SnapshotChain
from bot.store.subscriptions import Subscriptions
from bot.store.tables import metadata
from bot.store.urls import async_database_url, sqlite_path

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 0x6B666F72  # "kfor": one process migrates at a time


class Store:
    """Async access to the database; open with ``async with Store.open(url) as store``."""

    def __init__(self, engine: AsyncEngine, lease: dt.timedelta = dt.timedelta(minutes=5)) -> None:
        self.engine = engine
        self.snapshots = SnapshotChain(engine)
        self.subscriptions = Subscriptions(engine)
        self.ledger = Ledger(engine, lease)
        self.health = HealthRecords(engine)
        self.schedules = Schedules(engine)
        self.announcements = Announcements(engine)

    @classmethod
    @asynccontextmanager
    async def open(cls, url: str, lease: dt.timedelta = dt.timedelta(minutes=5)) -> AsyncIterator[Store]:
        """Connect, create the SQLite file's folder if needed, migrate, and close on exit."""
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(async_database_url(url), pool_pre_ping=path is None)
        if path is not None:
            _tune_sqlite(engine)
        try:
            store = cls(engine, lease)
            if path is None:
                await store.migrate()  # PostgreSQL: serialized by an advisory lock inside migrate()
            else:
                async with _file_lock(path.with_name(path.name + ".migrate-lock")):
                    await store.migrate()  # SQLite: several first checks at once must not all create the tables
            yield store
        finally:
            await engine.dispose()

    # -- schema ---------------------------------------------------------------------------------
    async def migrate(self) -> None:
        """Bring the schema to the current revision; Alembic is imported only to upgrade an older one.

        A new (empty) database gets the declared tables and is stamped with the current revision,
        as Alembic's own documentation suggests, so a first start does not load Alembic either.
        """
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            revision, empty = await conn.run_sync(_schema_state)
            if revision == HEAD_REVISION:
                return
            if empty:
                await conn.run_sync(_create_current_schema)
                log.info("Database created at revision %s", HEAD_REVISION)
                return
            await conn.run_sync(_upgrade_to_head)
            log.info("Database migrated to revision %s", HEAD_REVISION)

    async def delivery_state(self, mission: str, now: dt.datetime) -> DeliveryState:
        """In one query: whether a claim's lease ran out, the chain's end, and whether a subscription is behind."""
        async with self.engine.connect() as conn:
            statement = text(rules.DELIVERY_STATE).bindparams(bindparam("now", type_=DateTime(timezone=True)))
            row = (await conn.execute(statement, {"mission": mission, "now": now})).one()
        return DeliveryState(stale=bool(row.stale), last_position=row.last_position, behind=bool(row.behind))


@dataclass(frozen=True, slots=True)
class DeliveryState:
    stale: bool
    last_position: int | None
    behind: bool


@asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    """An exclusive lock on ``path`` across processes (flock), taken without blocking the event loop."""
    import asyncio
    import fcntl

    with path.open("a") as handle:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL journal and NORMAL sync: readers never block the writer, and a commit costs no fsync.

    A crash can lose at most the last commits, never corrupt the file; the ledger's claims are
    written before a message is sent, so a lost claim only means the message is claimed again.
    """
    from sqlalchemy import event

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:  # a DBAPI connection: untyped by design
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _schema_state(sync_conn: Connection) -> tuple[str | None, bool]:
    """The schema's revision (None without Alembic's table) and whether the database has no table of ours."""
    from sqlalchemy import inspect

    tables = set(inspect(sync_conn).get_table_names())
    revision = None
    if "alembic_version" in tables:
        revision = sync_conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return revision, not (tables & ({"alembic_version"} | set(metadata.tables)))


def _create_current_schema(sync_conn: Connection) -> None:
    """The declared tables, stamped with the current revision (what the migrations build, checked by a test)."""
    metadata.create_all(sync_conn)
    sync_conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                           "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))  # fmt: skip
    sync_conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:revision)"), {"revision": HEAD_REVISION})


def _upgrade_to_head(sync_conn: Connection) -> None:
    """Run Alembic's upgrade on an open connection (imported only when a migration is due)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = sync_conn
    command.upgrade(config, "head")
