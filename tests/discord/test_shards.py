"""Shards: an instance runs the shards it is given, delivers to their servers only, and reports each shard."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import discord

from bot.alerts.identity import channel_key
from bot.app import create_bot
from bot.discord.client import ShardedKforBot
from tests.conftest import SEED_FIGURES, simulated, snapshot_of


def _change(source: str) -> None:
    Path(source).write_text(snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2025-06").to_json())


async def test_an_instance_delivers_to_the_servers_of_its_shards_and_reports_each(bot_settings) -> None:
    """KFOR_SHARD_COUNT=2, KFOR_SHARD_IDS=1: a sharded client on shard 1 only, at half the request budget; a change
    reaches the channel of a shard-1 server and leaves the shard-0 server's to the instance that runs shard 0;
    /healthz and /metrics name shard 1."""
    settings = bot_settings.model_copy(update={"shard_count": 2, "shard_ids": (1,), "metrics_port": 0})
    bot = create_bot(settings)
    assert isinstance(bot, ShardedKforBot) and (bot.shard_count, bot.shard_ids) == (2, [1])
    async with simulated(bot) as env:
        try:
            assert bot.pacer is not None and bot.pacer.rate == 25  # half of the bot's 50/s: it runs 1 of 2 shards
            ours = env.create_guild("ours", shard_id=1).create_text_channel("kfor")
            theirs = env.create_guild("theirs", shard_id=0).create_text_channel("kfor")
            store = bot.alerts.store
            for channel in (ours, theirs):
                await store.subscriptions.subscribe(destination_key=channel_key(channel.id), mission="KFOR",
                                                    now=discord.utils.utcnow(), channel_id=channel.id)  # fmt: skip
            assert (await bot.alerts.run_cycle()).status == "baseline"
            _change(settings.source)
            result = await bot.alerts.run_cycle()
            await env.settle()
            assert (result.status, result.sent) == ("changed", 1)
            assert [m for m in ours.history() if m.embeds] and not [m for m in theirs.history() if m.embeds]
            assert (await store.subscriptions.get(channel_key(theirs.id))).delivered_through == 0  # left to shard 0
            async with aiohttp.ClientSession() as session:
                base = f"http://127.0.0.1:{bot.metrics_server.port}"
                async with session.get(f"{base}/healthz") as response:
                    health = json.loads(await response.text())
                async with session.get(f"{base}/metrics") as response:
                    metrics = await response.text()
            assert list(health["shards"]) == ["1"] and health["shards"]["1"]["connected"] is True
            assert 'kfor_shard_connected{shard="1"} 1.0' in metrics
        finally:
            await bot.metrics_server.stop()
