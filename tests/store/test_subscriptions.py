"""Subscriptions and their delivered-through cursors, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio

from bot.store.database import Store
from tests.conftest import snapshot_of
from tests.store.conftest import NOW


async def test_subscribe_starts_after_the_chain_end_and_resubscribing_keeps_the_cursor(database_url) -> None:
    async with Store.open(database_url) as store:
        await store.snapshots.append(snapshot_of({"Italy": 5}), "h0", "src", NOW, 0)
        sub = await store.subscriptions.subscribe(
            destination_key="channel:7", mission="KFOR", now=NOW, guild_id=1, channel_id=7, min_change=50,
            min_percent=5.0, nations=["Italy", "Germany"], mention_role_id=9, created_by=3,
        )  # fmt: skip
        assert (sub.delivered_through, sub.nations, sub.mention_role_id) == (0, frozenset({"Italy", "Germany"}), 9)
        await store.snapshots.append(snapshot_of({"Italy": 6}), "h1", "src", NOW, 1)
        again = await store.subscriptions.subscribe(destination_key="channel:7", mission="KFOR", now=NOW, guild_id=1,
                                                    channel_id=7)  # fmt: skip
        assert again.delivered_through == 0 and again.nations is None and again.min_change == 1
        assert [s.destination_key for s in await store.subscriptions.behind("KFOR", 1)] == ["channel:7"]
        assert [s.destination_key for s in await store.subscriptions.all(guild_id=1)] == ["channel:7"]
        assert await store.subscriptions.unsubscribe("channel:7")
        assert not await store.subscriptions.unsubscribe("channel:7")
        assert await store.subscriptions.all() == []


async def test_concurrent_first_subscriptions_all_succeed_and_leave_one_row(database_url) -> None:
    """Six processes subscribing the same destination at once: an upsert, not a UNIQUE violation."""
    async with Store.open(database_url) as store:
        results = await asyncio.gather(*(
            store.subscriptions.subscribe(destination_key="console", mission="KFOR", now=NOW) for _ in range(6)
        ))  # fmt: skip
        assert {r.id for r in results} == {results[0].id}
        assert len(await store.subscriptions.all()) == 1


async def test_the_cursor_only_moves_forward(database_url) -> None:
    async with Store.open(database_url) as store:
        await store.subscriptions.subscribe(destination_key="console", mission="KFOR", now=NOW)
        later = await store.ledger.claim(["change:KFOR:3", "change:KFOR:4"], "console", "fast", NOW)
        earlier = await store.ledger.claim(["change:KFOR:2"], "console", "slow", NOW)
        await store.ledger.finish(later, "sent", NOW, cursor=4)
        await store.ledger.finish(earlier, "sent", NOW, cursor=2)  # a slower process cannot move it back
        assert (await store.subscriptions.get("console")).delivered_through == 4


async def test_a_subscription_opts_in_or_out_of_announcements(database_url) -> None:
    """on, official or off, kept across re-subscribing as given; the nations filter applies to announcements too."""
    import datetime as dt

    from bot.store.database import Store

    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    async with Store.open(database_url) as store:
        default = await store.subscriptions.subscribe(destination_key="channel:1", mission="KFOR", now=now)
        assert default.announcements == "on" and default.wants("Poland", "press")
        official = await store.subscriptions.subscribe(destination_key="channel:2", mission="KFOR", now=now,
                                                       announcements="official", nations=["Poland"])  # fmt: skip
        assert official.wants("Poland", "official") and not official.wants("Poland", "press")
        assert not official.wants("Germany", "official")
        off = await store.subscriptions.subscribe(destination_key="channel:1", mission="KFOR", now=now,
                                                  announcements="off")  # fmt: skip
        assert not off.wants("Poland", "official")
        stored = await store.subscriptions.get("channel:1")
        assert stored is not None and stored.announcements == "off"
