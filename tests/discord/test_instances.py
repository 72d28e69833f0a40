"""Several bot instances on one store (SQLite file and PostgreSQL), each in its own simulated Discord.

Each instance is a real bot in SimCord; the worlds are built alike, so a guild and channel have the same
ids in each (as one Discord would show them to every replica). The store is the only thing they share.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import discord
import pytest

from bot.app import create_bot
from tests.conftest import SEED_FIGURES, simulated, snapshot_of

T = TypeVar("T")

CHANGED = dict(SEED_FIGURES, **{"United States": 320})


class Replica:
    """One bot instance with its own event loop and simulated Discord, in a thread (SimCord: one Env per loop)."""

    def __init__(self, settings, index: int) -> None:
        # Its own state folder (the command-sync hash), so every replica syncs and allocates ids alike.
        self.settings = settings.model_copy(update={"state_dir": settings.state_dir / f"replica-{index}"})
        self.index = index
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=f"replica-{index}", daemon=True)
        self.thread.start()

    async def run(self, function: Callable[[], Awaitable[T]]) -> T:
        """Run ``function()`` in this replica's loop and wait for it from the test's loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(function(), self.loop))

    async def start(self) -> None:
        async def start() -> None:
            self.bot = create_bot(self.settings)
            self._simulation = simulated(self.bot)
            self.env = await self._simulation.__aenter__()
            guild = self.env.create_guild()
            self.channel = guild.create_text_channel("briefings")
            staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
            self.admin = guild.add_member(self.env.create_user("admin"), roles=[staff])
            self.alerts.watcher.worker = f"replica-{self.index}"

        await self.run(start)

    @property
    def alerts(self):  # type: ignore[no-untyped-def]
        return self.bot.alerts

    async def slash(self, name: str, **options):  # type: ignore[no-untyped-def]
        async def slash():  # type: ignore[no-untyped-def]
            result = await self.admin.slash(self.channel, name, **options)
            await self.env.settle()
            return result

        return await self.run(slash)

    async def messages(self) -> list[discord.Message]:
        async def messages() -> list[discord.Message]:
            await self.env.settle()
            return [m for m in self.channel.history() if m.embeds]

        return await self.run(messages)

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self.run(lambda: self._simulation.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@contextlib.asynccontextmanager
async def instances(settings, count: int):
    """``count`` bots sharing one store and one watched source, each with a guild, a channel and an admin."""
    replicas = [Replica(settings, index) for index in range(count)]
    try:
        for replica in replicas:
            await replica.start()
        assert len({r.channel.id for r in replicas}) == 1, "the simulated worlds must match"
        yield replicas
    finally:
        for replica in replicas:
            await replica.stop()


@pytest.fixture
def shared_settings(bot_settings, database_url):
    return bot_settings.model_copy(update={"database_url": database_url})


def _total(result) -> str:  # type: ignore[no-untyped-def]
    return result.response.embeds[0].description


async def test_a_change_recorded_by_one_is_served_by_the_others_after_their_next_cycle(shared_settings) -> None:
    async with instances(shared_settings, 3) as (first, *others):
        assert (await first.run(first.alerts.run_cycle)).status == "baseline"
        await asyncio.to_thread(Path(shared_settings.source).write_text, snapshot_of(CHANGED, "2025-06").to_json())
        assert (await first.run(first.alerts.run_cycle)).status == "changed"
        assert "4,404" in _total(await first.slash("kfor top", count=3))
        for replica in others:
            assert "4,686" in _total(await replica.slash("kfor top", count=3))  # not yet
            assert (await replica.run(replica.alerts.run_cycle)).status == "unchanged"  # the source, as stored
            assert "4,404" in _total(await replica.slash("kfor top", count=3))


async def test_a_schedule_set_through_one_is_posted_once_per_slot(shared_settings) -> None:
    async with instances(shared_settings, 3) as replicas:
        first = replicas[0]
        assert (await first.slash("kfor-settings briefing schedule", when="daily 08:00")).ephemeral
        slot = dt.datetime(2026, 1, 2, 8, 0, tzinfo=dt.UTC)
        for replica in replicas:
            await replica.run(replica.alerts.sync_schedules)  # what every poll does
            assert first.channel.id in replica.alerts._schedules
        posted = []
        for _ in range(2):
            for replica in replicas:
                posted.append(await replica.run(lambda r=replica: r.alerts.post_briefing(r.channel.id, slot)))
        assert posted.count(True) == 1
        messages = [m for replica in replicas for m in await replica.messages()]
        assert len(messages) == 1 and "mission overview" in messages[0].embeds[0].title


async def test_a_crashed_briefing_claim_is_recovered_by_another_instance(shared_settings) -> None:
    """Replica A claims a slot and dies before sending; after the lease, replica B posts it, once."""
    async with instances(shared_settings, 2) as (a, b):
        await a.run(a.alerts.run_cycle)

        class Died(BaseException):
            """Replica A's process ending mid-delivery."""

        class DeadChannel:
            key = "channel:dead"

            async def send(self, post, *, retry, accepted=None):  # type: ignore[no-untyped-def]
                raise Died

        a.alerts.channel_destination = lambda *args, **kwargs: DeadChannel()
        slot = dt.datetime(2026, 1, 2, 8, 0, tzinfo=dt.UTC)
        with pytest.raises(Died):
            await a.run(lambda: a.alerts.post_briefing(a.channel.id, slot))
        assert [r["status"] for r in await b.run(b.alerts.store.ledger.rows)] == ["claimed"]
        assert (await b.run(b.alerts.run_cycle)).sent == 0  # within the lease: A might still be sending
        b.alerts.watcher.clock = lambda: discord.utils.utcnow() + dt.timedelta(minutes=10)
        assert (await b.run(b.alerts.run_cycle)).sent == 1
        (message,) = await b.messages()
        assert "mission overview" in message.embeds[0].title
        (row,) = await b.run(b.alerts.store.ledger.rows)
        assert (row["status"], row["claimed_by"], row["attempts"]) == ("sent", "replica-1", 2)
        assert await a.messages() == []


async def test_two_instances_of_two_shards_each_serve_every_server_once(bot_settings, database_url) -> None:
    """Two instances on one store, shards 0-1 and 2-3 of 4: a change reaches a channel on each shard's server
    once, posted by the instance that runs that shard, whichever instance recorded it or cycles first."""
    from bot.alerts.identity import channel_key

    settings = bot_settings.model_copy(update={"database_url": database_url, "shard_count": 4})
    replicas = [Replica(settings.model_copy(update={"shard_ids": shards}), index)
                for index, shards in enumerate([(0, 1), (2, 3)])]  # fmt: skip
    try:
        for replica in replicas:
            await replica.start()

        def servers(replica: Replica) -> Callable[[], Awaitable[list]]:
            async def create() -> list:
                return [replica.env.create_guild(f"shard {s}", shard_id=s).create_text_channel("kfor")
                        for s in range(4)]  # fmt: skip

            return create

        worlds = [await replica.run(servers(replica)) for replica in replicas]
        assert [c.id for c in worlds[0]] == [c.id for c in worlds[1]], "the simulated worlds must match"
        first, second = replicas
        store, now = first.alerts.store, dt.datetime.now(dt.UTC)
        for channel in worlds[0]:
            await first.run(lambda c=channel: store.subscriptions.subscribe(
                destination_key=channel_key(c.id), mission="KFOR", now=now, channel_id=c.id))  # fmt: skip
        assert (await first.run(first.alerts.run_cycle)).status == "baseline"
        await asyncio.to_thread(Path(settings.source).write_text, snapshot_of(CHANGED, "2025-06").to_json())
        results = [await second.run(second.alerts.run_cycle), await first.run(first.alerts.run_cycle)]
        assert [(r.status, r.sent) for r in results] == [("changed", 2), ("unchanged", 2)]

        def digests(replica: Replica, channels: list) -> Callable[[], Awaitable[list[int]]]:
            async def count() -> list[int]:
                await replica.env.settle()
                return [len([m for m in c.history() if m.embeds]) for c in channels]

            return count

        assert await first.run(digests(first, worlds[0])) == [1, 1, 0, 0]
        assert await second.run(digests(second, worlds[1])) == [0, 0, 1, 1]
    finally:
        for replica in replicas:
            await replica.stop()
