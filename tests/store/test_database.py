"""Opening, migrating and the cross-aggregate questions, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from bot.store import rules
from bot.store.database import Store
from bot.store.ledger import change_event
from tests.conftest import snapshot_of
from tests.store.conftest import NOW


async def test_migrations_create_the_schema_and_are_idempotent(database_url) -> None:
    """Opening twice migrates once; the schema equals the tables the code declares (indexes included)."""
    async with Store.open(database_url) as store, store.engine.connect() as conn:

        def differences(sync_conn):  # type: ignore[no-untyped-def]
            from alembic.autogenerate import compare_metadata
            from alembic.migration import MigrationContext

            from bot.store.tables import metadata

            return compare_metadata(MigrationContext.configure(sync_conn), metadata)

        assert await conn.run_sync(differences) == []
    async with Store.open(database_url) as store:
        assert await store.snapshots.latest("KFOR") is None


async def test_a_new_database_gets_the_schema_the_migrations_build_without_alembic(database_url, tmp_path) -> None:
    """A first start creates the declared tables and stamps them; Alembic's upgrade of an empty database
    builds the same tables, columns, types, keys and indexes, so later migrations start from the same place."""
    from sqlalchemy import inspect
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.store.database import _upgrade_to_head
    from bot.store.revision import HEAD_REVISION
    from bot.store.urls import async_database_url

    def schema(sync_conn, name=None):  # type: ignore[no-untyped-def]
        inspector = inspect(sync_conn)
        return {
            table: (
                sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table, name)),
                sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table, name)),
                sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table, name)),
                inspector.get_pk_constraint(table, name)["constrained_columns"],
            )
            for table in inspector.get_table_names(name)
        }

    async with Store.open(database_url) as store, store.engine.connect() as conn:
        created = await conn.run_sync(schema)
        assert (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    migrated_url = f"sqlite:///{tmp_path / 'migrated.db'}" if database_url.startswith("sqlite") else database_url
    engine = create_async_engine(async_database_url(migrated_url))
    try:
        async with engine.begin() as conn:
            name = None
            if conn.dialect.name == "postgresql":  # the same server: migrate a schema of its own
                name = "migrated"
                await conn.exec_driver_sql("CREATE SCHEMA migrated")
                await conn.exec_driver_sql("SET search_path TO migrated")
            await conn.run_sync(_upgrade_to_head)
            migrated = await conn.run_sync(schema, name)
    finally:
        await engine.dispose()
    assert created == migrated and set(created) >= {"snapshots", "subscriptions", "deliveries", "alembic_version"}


def test_creating_or_opening_a_current_database_does_not_load_alembic(tmp_path) -> None:
    """Alembic (11 MB in a running bot) is imported only to upgrade an older schema, never to create one."""
    import subprocess
    import sys

    probe = (
        "import asyncio, sys\nfrom bot.store.database import Store\n"
        f"async def main():\n    for _ in range(2):\n        async with Store.open('sqlite:///{tmp_path}/k.db'):\n"
        "            pass\nasyncio.run(main())\nprint('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.strip() == "False"
    assert (tmp_path / "k.db").is_file()


async def test_delivery_state_answers_the_common_case_in_one_query(database_url) -> None:
    """Nothing recorded; a subscription behind; everyone served; a claim whose lease ran out."""
    async with Store.open(database_url) as store:
        state = await store.delivery_state("KFOR", NOW)
        assert (state.stale, state.last_position, state.behind) == (False, None, False)
        await store.snapshots.append(snapshot_of({"Italy": 5}), "h0", "src", NOW, 0)
        await store.subscriptions.subscribe(destination_key="channel:7", mission="KFOR", now=NOW)
        await store.snapshots.append(snapshot_of({"Italy": 6}), "h1", "src", NOW, 1)
        state = await store.delivery_state("KFOR", NOW)
        assert (state.stale, state.last_position, state.behind) == (False, 1, True)
        claim = await store.ledger.claim([change_event("KFOR", 1)], "channel:7", "w", NOW)
        assert not (await store.delivery_state("KFOR", NOW)).stale
        assert (await store.delivery_state("KFOR", NOW + dt.timedelta(minutes=6))).stale
        assert await store.ledger.finish(claim, "sent", NOW, message_ref="1", cursor=1)
        state = await store.delivery_state("KFOR", NOW + dt.timedelta(minutes=6))
        assert (state.stale, state.behind) == (False, False)


async def test_sqlite_datetimes_are_stored_as_the_quick_check_writes_them(tmp_path) -> None:
    """rules.sqlite_time is SQLAlchemy's SQLite format, so the quick check and the store write alike."""
    path = tmp_path / "k.db"
    async with Store.open(f"sqlite:///{path}") as store:
        await store.health.update("src", last_check_at=NOW)
    with sqlite3.connect(path) as db:
        (stored,) = db.execute("SELECT last_check_at FROM source_health").fetchone()
    assert stored == rules.sqlite_time(NOW)


@pytest.mark.parametrize("url", ["mysql://x", "nonsense"])
def test_unsupported_database_urls_are_refused(url: str) -> None:
    from bot.core.errors import UserError
    from bot.store.urls import async_database_url

    with pytest.raises(UserError, match="sqlite:///PATH"):
        async_database_url(url)
