"""The store: every read and write kfor-bot makes to its database, as async methods.

Callers pass ``now`` (an aware datetime) so that time is a parameter, not a hidden global. Claims
rely on UNIQUE constraints: of several processes inserting the same (event, destination) row, one
succeeds and the others learn that the delivery is someone else's.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.core.models import Snapshot
from bot.store.revision import HEAD_REVISION  # checked before importing Alembic
from bot.store.tables import briefing_schedules, deliveries, snapshots, source_health, subscriptions
from bot.store.urls import async_database_url, sqlite_path

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 0x6B666F72  # "kfor": one process migrates at a time


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything in kfor-bot is aware UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class StoredSnapshot:
    mission: str
    position: int
    content_hash: str
    snapshot: Snapshot
    source: str
    fetched_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    destination_key: str
    guild_id: int | None
    channel_id: int | None
    webhook_url: str | None
    min_change: int
    min_percent: float
    nations: frozenset[str] | None
    mention_role_id: int | None
    created_by: int | None
    created_at: dt.datetime
    mission: str
    start_position: int


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery this process has claimed (or reclaimed) and must now send."""

    event_keys: tuple[str, ...]
    destination_key: str
    nonce: str
    attempts: int
    message_ref: str | None = None


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


@dataclass(frozen=True, slots=True)
class BriefingSchedule:
    guild_id: int
    channel_id: int
    cron: str
    timezone: str
    created_by: int | None


def change_event(mission: str, position: int) -> str:
    """The ledger key of the change that produced snapshot ``position``."""
    return f"change:{mission}:{position}"


class Store:
    """Async access to the database; open with ``async with Store.open(url) as store``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @classmethod
    @asynccontextmanager
    async def open(cls, url: str) -> AsyncIterator[Store]:
        """Connect, create the SQLite file's folder if needed, migrate, and close on exit."""
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(async_database_url(url), pool_pre_ping=path is None)
        if path is not None:
            _tune_sqlite(engine)
        try:
            store = cls(engine)
            await store.migrate()
            yield store
        finally:
            await engine.dispose()

    # -- schema ---------------------------------------------------------------------------------
    async def migrate(self) -> None:
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            if await self._revision(conn) == HEAD_REVISION:
                return
            await conn.run_sync(_upgrade_to_head)
            log.info("Database migrated to revision %s", HEAD_REVISION)

    @staticmethod
    async def _revision(conn: AsyncConnection) -> str | None:
        def read(sync_conn):  # type: ignore[no-untyped-def]
            from sqlalchemy import inspect

            if not inspect(sync_conn).has_table("alembic_version"):
                return None
            return sync_conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

        return await conn.run_sync(read)

    # -- snapshots ------------------------------------------------------------------------------
    async def latest_snapshot(self, mission: str) -> StoredSnapshot | None:
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

    async def snapshot_at(self, mission: str, position: int) -> StoredSnapshot | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(snapshots).where(and_(snapshots.c.mission == mission, snapshots.c.position == position))
                )
            ).first()
        return _stored(row) if row else None

    async def all_snapshots(self, mission: str) -> list[StoredSnapshot]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(snapshots).where(snapshots.c.mission == mission).order_by(snapshots.c.position)
            )
            return [_stored(row) for row in rows]

    async def append_snapshot(
        self, snapshot: Snapshot, content_hash: str, source: str, now: dt.datetime, position: int
    ) -> StoredSnapshot | None:
        """Add ``snapshot`` at ``position`` of its mission's chain.

        Returns the stored snapshot, or None when another process took that position first.
        """
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
        except IntegrityError:
            return None
        return StoredSnapshot(snapshot.mission, position, content_hash, snapshot, source, now)

    # -- subscriptions --------------------------------------------------------------------------
    async def subscribe(
        self,
        *,
        destination_key: str,
        mission: str,
        now: dt.datetime,
        guild_id: int | None = None,
        channel_id: int | None = None,
        webhook_url: str | None = None,
        min_change: int = 1,
        min_percent: float = 0.0,
        nations: Sequence[str] | None = None,
        mention_role_id: int | None = None,
        created_by: int | None = None,
    ) -> Subscription:
        """Create or replace the subscription of a destination; later changes are delivered to it."""
        values = {
            "destination_key": destination_key,
            "guild_id": guild_id,
            "channel_id": channel_id,
            "webhook_url": webhook_url,
            "min_change": min_change,
            "min_percent": min_percent,
            "nations": json.dumps(sorted(nations)) if nations else None,
            "mention_role_id": mention_role_id,
            "created_by": created_by,
            "created_at": now,
            "mission": mission,
        }
        async with self.engine.begin() as conn:
            last = (await conn.execute(_last_position(mission))).scalar()
            values["start_position"] = -1 if last is None else last
            existing = (
                await conn.execute(select(subscriptions.c.start_position).where(
                    subscriptions.c.destination_key == destination_key))
            ).first()  # fmt: skip
            if existing is None:
                await conn.execute(insert(subscriptions).values(**values))
            else:  # changing the filters keeps the place in the chain: nothing is skipped or repeated
                values["start_position"] = existing.start_position
                await conn.execute(
                    update(subscriptions).where(subscriptions.c.destination_key == destination_key).values(**values)
                )
        subscription = await self.subscription(destination_key)
        assert subscription is not None  # noqa: S101 - just written
        return subscription

    async def unsubscribe(self, destination_key: str) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(subscriptions).where(subscriptions.c.destination_key == destination_key))
        return result.rowcount > 0

    async def subscription(self, destination_key: str) -> Subscription | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(select(subscriptions).where(subscriptions.c.destination_key == destination_key))
            ).first()
        return _subscription(row) if row else None

    async def subscriptions(self, mission: str | None = None, guild_id: int | None = None) -> list[Subscription]:
        query = select(subscriptions).order_by(subscriptions.c.id)
        if mission is not None:
            query = query.where(subscriptions.c.mission == mission)
        if guild_id is not None:
            query = query.where(subscriptions.c.guild_id == guild_id)
        async with self.engine.connect() as conn:
            return [_subscription(row) for row in await conn.execute(query)]

    # -- the delivery ledger --------------------------------------------------------------------
    async def delivered_events(self, destination_key: str, event_keys: Sequence[str]) -> set[str]:
        """Which of ``event_keys`` already have a ledger row (claimed or sent) for the destination."""
        if not event_keys:
            return set()
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(deliveries.c.event_key).where(
                    and_(deliveries.c.destination_key == destination_key, deliveries.c.event_key.in_(event_keys))
                )
            )
            return {row.event_key for row in rows}

    async def delivery_state(self, mission: str, stale_before: dt.datetime) -> tuple[bool, int | None]:
        """(whether a claim went stale, the last position of the chain), in one query."""
        stale = (
            select(deliveries.c.id)
            .where(and_(deliveries.c.status == "claimed", deliveries.c.claimed_at < stale_before))
            .limit(1)
            .scalar_subquery()
        )
        async with self.engine.connect() as conn:
            has_stale, position = (await conn.execute(select(stale, _last_position(mission).scalar_subquery()))).one()
        return has_stale is not None, position

    async def has_pending_work(self, mission: str, latest: int) -> bool:
        """Whether any subscription lacks one of the changes up to ``latest``."""
        async with self.engine.connect() as conn:
            behind = (
                await conn.execute(
                    select(subscriptions.c.destination_key, subscriptions.c.start_position).where(
                        and_(subscriptions.c.mission == mission, subscriptions.c.start_position < latest)
                    )
                )
            ).all()
            if not behind:
                return False
            first = max(min(start for _, start in behind), 0) + 1
            events = [change_event(mission, p) for p in range(first, latest + 1)]
            rows = await conn.execute(
                select(deliveries.c.destination_key, deliveries.c.event_key).where(
                    and_(
                        deliveries.c.destination_key.in_([key for key, _ in behind]), deliveries.c.event_key.in_(events)
                    )
                )
            )
            done: dict[str, set[str]] = {}
            for key, event in rows:
                done.setdefault(key, set()).add(event)
        return any(
            not {change_event(mission, p) for p in range(max(start, 0) + 1, latest + 1)} <= done.get(key, set())
            for key, start in behind
        )

    async def claim(
        self, event_keys: Sequence[str], destination_key: str, worker: str, now: dt.datetime
    ) -> Claim | None:
        """Claim one delivery covering ``event_keys`` (a catch-up digest covers several).

        All rows are inserted in one transaction: either this process owns them all, or another
        process already claimed one of them and this returns None.
        """
        nonce = secrets.token_hex(12)  # Discord accepts nonces of up to 25 characters
        group_key = event_keys[-1]
        rows = [
            {
                "event_key": key,
                "destination_key": destination_key,
                "status": "claimed",
                "claimed_by": worker,
                "claimed_at": now,
                "attempts": 1,
                "nonce": nonce,
                "group_key": group_key,
            }
            for key in event_keys
        ]
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(deliveries), rows)
        except IntegrityError:
            return None
        return Claim(tuple(event_keys), destination_key, nonce, 1)

    async def mark_sent(self, claim: Claim, message_ref: str | None, now: dt.datetime) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                update(deliveries)
                .where(
                    and_(
                        deliveries.c.destination_key == claim.destination_key,
                        deliveries.c.event_key.in_(claim.event_keys),
                    )
                )
                .values(status="sent", sent_at=now, message_ref=message_ref)
            )

    async def release(self, claim: Claim) -> None:
        """Give a claim back after a send that certainly failed, so a later cycle retries it."""
        async with self.engine.begin() as conn:
            await conn.execute(
                delete(deliveries).where(
                    and_(
                        deliveries.c.destination_key == claim.destination_key,
                        deliveries.c.event_key.in_(claim.event_keys),
                        deliveries.c.status == "claimed",
                    )
                )
            )

    async def stale_claims(self, older_than: dt.datetime) -> list[Claim]:
        """Claims never marked sent and older than the lease: a process died between claim and send."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(deliveries)
                    .where(and_(deliveries.c.status == "claimed", deliveries.c.claimed_at < older_than))
                    .order_by(deliveries.c.id)
                )
            ).all()
        groups: dict[tuple[str, str], list] = {}
        for row in rows:
            groups.setdefault((row.destination_key, row.group_key), []).append(row)
        return [
            Claim(tuple(r.event_key for r in group), destination, group[0].nonce, group[0].attempts)
            for (destination, _), group in groups.items()
        ]

    async def take_over(self, claim: Claim, worker: str, now: dt.datetime, older_than: dt.datetime) -> Claim | None:
        """Take over a stale claim; None if another process took it (or it was sent) meanwhile."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(deliveries)
                .where(
                    and_(
                        deliveries.c.destination_key == claim.destination_key,
                        deliveries.c.event_key.in_(claim.event_keys),
                        deliveries.c.status == "claimed",
                        deliveries.c.claimed_at < older_than,
                    )
                )
                .values(claimed_by=worker, claimed_at=now, attempts=deliveries.c.attempts + 1)
            )
            if result.rowcount != len(claim.event_keys):
                await conn.rollback()
                return None
        return Claim(claim.event_keys, claim.destination_key, claim.nonce, claim.attempts + 1)

    async def ledger(self, destination_key: str | None = None) -> list[dict]:
        """The ledger rows (for status pages and tests)."""
        query = select(deliveries).order_by(deliveries.c.id)
        if destination_key is not None:
            query = query.where(deliveries.c.destination_key == destination_key)
        async with self.engine.connect() as conn:
            return [dict(row._mapping) for row in await conn.execute(query)]

    async def last_sent(self, destination_key: str, prefix: str) -> dt.datetime | None:
        async with self.engine.connect() as conn:
            value = (
                await conn.execute(
                    select(func.max(deliveries.c.sent_at)).where(
                        and_(deliveries.c.destination_key == destination_key, deliveries.c.event_key.like(f"{prefix}%"))
                    )
                )
            ).scalar()
        return _utc(value)

    # -- source health --------------------------------------------------------------------------
    async def source_health(self, source_key: str) -> SourceHealth:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(source_health).where(source_health.c.source_key == source_key))).first()
        if row is None:
            return SourceHealth(source_key)
        values = dict(row._mapping)
        for key in ("last_check_at", "last_success_at", "last_change_at", "problem_since"):
            values[key] = _utc(values[key])
        return SourceHealth(**values)

    async def save_source_health(self, health: SourceHealth) -> None:
        values = {field: getattr(health, field) for field in SourceHealth.__dataclass_fields__}
        async with self.engine.begin() as conn:
            updated = await conn.execute(
                update(source_health).where(source_health.c.source_key == health.source_key).values(**values)
            )
            if updated.rowcount == 0:
                try:
                    async with conn.begin_nested():
                        await conn.execute(insert(source_health).values(**values))
                except IntegrityError:  # another process inserted it first: update instead
                    await conn.execute(
                        update(source_health).where(source_health.c.source_key == health.source_key).values(**values)
                    )

    # -- briefing schedules ---------------------------------------------------------------------
    async def set_schedule(self, schedule: BriefingSchedule, now: dt.datetime) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(briefing_schedules).where(briefing_schedules.c.channel_id == schedule.channel_id))
            await conn.execute(
                insert(briefing_schedules).values(
                    guild_id=schedule.guild_id, channel_id=schedule.channel_id, cron=schedule.cron,
                    timezone=schedule.timezone, created_by=schedule.created_by, created_at=now,
                )
            )  # fmt: skip

    async def remove_schedule(self, channel_id: int) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(briefing_schedules).where(briefing_schedules.c.channel_id == channel_id))
        return result.rowcount > 0

    async def schedules(self) -> list[BriefingSchedule]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(briefing_schedules).order_by(briefing_schedules.c.id))
            return [BriefingSchedule(r.guild_id, r.channel_id, r.cron, r.timezone, r.created_by) for r in rows]


def _last_position(mission: str):  # type: ignore[no-untyped-def]
    """The end of a mission's snapshot chain (NULL when there is none), without loading a snapshot."""
    return select(func.max(snapshots.c.position)).where(snapshots.c.mission == mission)


def _stored(row) -> StoredSnapshot:  # type: ignore[no-untyped-def]
    return StoredSnapshot(
        mission=row.mission,
        position=row.position,
        content_hash=row.content_hash,
        snapshot=Snapshot.model_validate_json(row.body),
        source=row.source,
        fetched_at=_utc(row.fetched_at),  # type: ignore[arg-type]
    )


def _subscription(row) -> Subscription:  # type: ignore[no-untyped-def]
    return Subscription(
        id=row.id,
        destination_key=row.destination_key,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        webhook_url=row.webhook_url,
        min_change=row.min_change,
        min_percent=row.min_percent,
        nations=frozenset(json.loads(row.nations)) if row.nations else None,
        mention_role_id=row.mention_role_id,
        created_by=row.created_by,
        created_at=_utc(row.created_at),  # type: ignore[arg-type]
        mission=row.mission,
        start_position=row.start_position,
    )


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL journal and NORMAL sync: readers never block the writer, and a commit costs no fsync.

    A crash can lose at most the last commits, never corrupt the file; the ledger's claims are
    written before a message is sent, so a lost claim only means the message is claimed again.
    """
    from sqlalchemy import event

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _upgrade_to_head(sync_conn) -> None:  # type: ignore[no-untyped-def]
    """Run Alembic's upgrade on an open connection (imported only when a migration is due)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = sync_conn
    command.upgrade(config, "head")
