"""One contract for the store, run against a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.store.repository import BriefingSchedule, SourceHealth, Store, change_event
from tests.conftest import snapshot_of

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


async def test_migrations_create_the_schema_and_are_idempotent(database_url) -> None:
    """Opening twice migrates once; the schema equals the tables the code declares."""
    async with Store.open(database_url) as store, store.engine.connect() as conn:

        def differences(sync_conn):  # type: ignore[no-untyped-def]
            from alembic.autogenerate import compare_metadata
            from alembic.migration import MigrationContext

            from bot.store.tables import metadata

            return compare_metadata(MigrationContext.configure(sync_conn), metadata)

        assert await conn.run_sync(differences) == []
    async with Store.open(database_url) as store:
        assert await store.latest_snapshot("KFOR") is None


async def test_snapshot_chain_is_linear_under_races(database_url) -> None:
    """Five concurrent appends at the same position: exactly one wins."""
    async with Store.open(database_url) as store:
        base = await store.append_snapshot(snapshot_of({"Italy": 5}, "2025-02"), "h0", "src", NOW, 0)
        assert base is not None and base.position == 0
        later = snapshot_of({"Italy": 6}, "2025-06")
        results = await asyncio.gather(*(store.append_snapshot(later, "h1", "src", NOW, 1) for _ in range(5)))
        assert sum(r is not None for r in results) == 1
        latest = await store.latest_snapshot("KFOR")
        assert (latest.position, latest.content_hash, latest.snapshot) == (1, "h1", later)
        assert latest.fetched_at == NOW
        assert [s.position for s in await store.all_snapshots("KFOR")] == [0, 1]


async def test_subscriptions(database_url) -> None:
    """Subscribe starts after the current position; re-subscribing keeps it; unsubscribe removes."""
    async with Store.open(database_url) as store:
        await store.append_snapshot(snapshot_of({"Italy": 5}), "h0", "src", NOW, 0)
        sub = await store.subscribe(destination_key="channel:7", mission="KFOR", now=NOW, guild_id=1, channel_id=7,
                                    min_change=50, min_percent=5.0, nations=["Italy", "Germany"], mention_role_id=9,
                                    created_by=3)  # fmt: skip
        assert (sub.start_position, sub.nations, sub.mention_role_id) == (0, frozenset({"Italy", "Germany"}), 9)
        await store.append_snapshot(snapshot_of({"Italy": 6}), "h1", "src", NOW, 1)
        again = await store.subscribe(destination_key="channel:7", mission="KFOR", now=NOW, guild_id=1, channel_id=7)
        assert again.start_position == 0 and again.nations is None and again.min_change == 1
        assert [s.destination_key for s in await store.subscriptions(guild_id=1)] == ["channel:7"]
        assert await store.unsubscribe("channel:7")
        assert not await store.unsubscribe("channel:7")
        assert await store.subscriptions() == []


async def test_claims_are_exclusive_and_cover_several_events(database_url) -> None:
    async with Store.open(database_url) as store:
        events = [change_event("KFOR", 1), change_event("KFOR", 2)]
        claims = await asyncio.gather(*(store.claim(events, "channel:7", f"w{i}", NOW) for i in range(4)))
        winners = [c for c in claims if c is not None]
        assert len(winners) == 1 and winners[0].event_keys == tuple(events)
        # an overlapping catch-up claim by another worker fails as a whole
        assert await store.claim([change_event("KFOR", 2), change_event("KFOR", 3)], "channel:7", "w9", NOW) is None
        assert await store.delivered_events("channel:7", [*events, change_event("KFOR", 3)]) == set(events)
        await store.mark_sent(winners[0], "123", NOW)
        rows = await store.ledger("channel:7")
        assert [(r["status"], r["message_ref"]) for r in rows] == [("sent", "123"), ("sent", "123")]


async def test_stale_claims_are_taken_over_once(database_url) -> None:
    """A claim never marked sent is stale after the lease; of two takers, one wins; the nonce is kept."""
    async with Store.open(database_url) as store:
        claim = await store.claim([change_event("KFOR", 1)], "webhook:x", "dead-worker", NOW)
        assert await store.stale_claims(NOW) == []  # not older than the lease yet
        later = NOW + dt.timedelta(minutes=10)
        (stale,) = await store.stale_claims(NOW + dt.timedelta(minutes=5))
        assert stale.nonce == claim.nonce
        takes = await asyncio.gather(
            store.take_over(stale, "a", later, NOW + dt.timedelta(minutes=5)),
            store.take_over(stale, "b", later, NOW + dt.timedelta(minutes=5)),
        )
        (taken,) = [t for t in takes if t is not None]
        assert taken.attempts == 2 and taken.nonce == claim.nonce
        await store.release(taken)
        assert await store.ledger() == []


async def test_source_health_round_trip(database_url) -> None:
    async with Store.open(database_url) as store:
        assert await store.source_health("http://x") == SourceHealth("http://x")
        health = SourceHealth("http://x", etag='"v1"', content_hash="h", last_check_at=NOW, problem="broken",
                              problem_key="p1", problem_since=NOW, consecutive_failures=2)  # fmt: skip
        await asyncio.gather(store.save_source_health(health), store.save_source_health(health))
        assert await store.source_health("http://x") == health


async def test_briefing_schedules(database_url) -> None:
    async with Store.open(database_url) as store:
        await store.set_schedule(BriefingSchedule(1, 7, "0 8 * * mon", "Europe/Rome", 3), NOW)
        await store.set_schedule(BriefingSchedule(1, 7, "30 7 * * *", "UTC", 3), NOW)
        assert await store.schedules() == [BriefingSchedule(1, 7, "30 7 * * *", "UTC", 3)]
        assert await store.remove_schedule(7)
        assert await store.schedules() == []


@pytest.mark.parametrize("url", ["mysql://x", "nonsense"])
def test_unsupported_database_urls_are_refused(url: str) -> None:
    from bot.core.errors import UserError
    from bot.store.urls import async_database_url

    with pytest.raises(UserError, match="sqlite:///PATH"):
        async_database_url(url)
