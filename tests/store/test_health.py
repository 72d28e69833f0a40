"""Source health, written column by column, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.store.database import Store
from bot.store.health import SourceHealth
from tests.store.conftest import NOW


async def test_updates_touch_only_their_columns(database_url) -> None:
    """Two processes writing different columns at once both keep their writes."""
    async with Store.open(database_url) as store:
        assert await store.health.get("http://x") == SourceHealth("http://x")
        await asyncio.gather(store.health.update("http://x", etag='"v1"', content_hash="h"),
                             store.health.update("http://x", last_change_at=NOW))  # fmt: skip
        health = await store.health.get("http://x")
        assert (health.etag, health.content_hash, health.last_change_at) == ('"v1"', "h", NOW)
        with pytest.raises(ValueError, match="not source-health columns"):
            await store.health.update("http://x", nonsense=1)


async def test_problems_count_in_sql_and_keep_their_start(database_url) -> None:
    """Failures add up even from concurrent writers; the same problem keeps its start, another resets it."""
    async with Store.open(database_url) as store:
        await asyncio.gather(*(store.health.record_problem("src", "down", "k1", NOW) for _ in range(3)))
        later = NOW + dt.timedelta(minutes=15)
        health = await store.health.record_problem("src", "down", "k1", later)
        assert (health.consecutive_failures, health.problem_since, health.last_check_at) == (4, NOW, later)
        other = await store.health.record_problem("src", "garbled", "k2", later)
        assert (other.problem, other.problem_since, other.consecutive_failures) == ("garbled", later, 5)


async def test_an_unchanged_check_clears_the_failure_count(database_url) -> None:
    async with Store.open(database_url) as store:
        await store.health.record_unchanged("src", NOW, '"e"', None)  # creates the row
        await store.health.record_problem("src", "down", "k1", NOW)
        await store.health.record_unchanged("src", NOW, None, "Mon")
        health = await store.health.get("src")
        assert (health.consecutive_failures, health.etag, health.last_modified, health.last_success_at) == (
            0, '"e"', "Mon", NOW)  # fmt: skip
