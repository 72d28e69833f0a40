"""The accepted chain of snapshots, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio

from bot.store.database import Store
from tests.conftest import snapshot_of
from tests.store.conftest import NOW


async def test_snapshot_chain_is_linear_under_races(database_url) -> None:
    """Five concurrent appends at the same position: exactly one wins."""
    async with Store.open(database_url) as store:
        base = await store.snapshots.append(snapshot_of({"Italy": 5}, "2025-02"), "h0", "src", NOW, 0)
        assert base is not None and base.position == 0
        later = snapshot_of({"Italy": 6}, "2025-06")
        results = await asyncio.gather(*(store.snapshots.append(later, "h1", "src", NOW, 1) for _ in range(5)))
        assert sum(r is not None for r in results) == 1
        latest = await store.snapshots.latest("KFOR")
        assert (latest.position, latest.content_hash, latest.snapshot) == (1, "h1", later)
        assert latest.fetched_at == NOW
        assert await store.snapshots.last_position("KFOR") == 1


async def test_since_returns_what_a_process_has_not_seen(database_url) -> None:
    """Each instance takes in the snapshots recorded after the last position it serves, by anyone."""
    async with Store.open(database_url) as store:
        for position in range(3):
            await store.snapshots.append(snapshot_of({"Italy": position + 1}), f"h{position}", "src", NOW, position)
        assert [s.position for s in await store.snapshots.since("KFOR", None)] == [0, 1, 2]
        assert [s.position for s in await store.snapshots.since("KFOR", 0)] == [1, 2]
        assert await store.snapshots.since("KFOR", 2) == []
        assert await store.snapshots.since("OTHER", None) == []


async def test_reading_the_chain_leaves_the_cycle_collector_as_it_was(tmp_path) -> None:
    """since() pauses the cycle collector only while it parses: on afterwards, and off if it was off."""
    import gc

    async with Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store:
        for position in range(3):
            await store.snapshots.append(snapshot_of({"Italy": 5 + position}, f"2025-0{position + 1}"), f"h{position}",
                                         "src", NOW, position)  # fmt: skip
        assert gc.isenabled() and len(await store.snapshots.since("KFOR", None)) == 3
        assert gc.isenabled()
        gc.disable()
        try:
            assert len(await store.snapshots.since("KFOR", 0)) == 2
            assert not gc.isenabled()
        finally:
            gc.enable()
