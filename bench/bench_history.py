"""History at scale (not part of the test run): start-up and `/kfor history` with many stored snapshots.

    .venv/bin/python bench/bench_history.py

1. Start-up: a store holding N accepted snapshots (N = 250 … 2,000, one a day), then the bot's
   alert runtime starts on it: open the store, read the chain, hand every snapshot to the briefing
   service (what setup_hook does besides the gateway). Linear means the time per snapshot stays flat.
2. `/kfor history` in SimCord with 1,000 snapshots served: from INTERACTION_CREATE reaching discord.py
   to the reply handed to its HTTP layer (as bench_discord.py measures), and how many messages a reply takes.
Goals (issue #9): start-up linear in the snapshots; history ≤ 10 ms median, one message.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Figure, print_goals  # noqa: E402
from tests.conftest import SEED_FIGURES, simulated, snapshot_of  # noqa: E402

SIZES = (250, 500, 1000, 2000)
REPEAT = 200


async def fill_store(url: str, count: int) -> None:
    """``count`` accepted snapshots, one a day, Italy's figure moving each time."""
    from bot.store.database import Store

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    async with Store.open(url) as store:
        for position in range(count):
            day = dt.date(2021, 1, 1) + dt.timedelta(days=position)
            snapshot = snapshot_of(dict(SEED_FIGURES, Italy=1000 + position), day.isoformat())
            await store.snapshots.append(snapshot, f"h{position}", "bench", now, position)


def _settings(state: str):  # type: ignore[no-untyped-def]
    from bot.settings import Settings

    return Settings(_env_file=None, state_dir=Path(state), database_url=None, discord_token=None,
                    dev_guild_id=None, scheduler_enabled=False, chart_cooldown_seconds=0)  # fmt: skip


async def start_up(count: int) -> tuple[float, int]:
    """Seconds for the alert runtime to start on a store of ``count`` snapshots, and the catalogue's size."""
    from bot.app import create_bot
    from bot.discord.alerts_runtime import AlertRuntime

    with tempfile.TemporaryDirectory() as state:
        settings = _settings(state)
        await fill_store(settings.store_url, count)
        bot = create_bot(settings)
        runtime = AlertRuntime(bot, settings, bot.service)
        start = time.perf_counter()
        await runtime.start()
        elapsed = time.perf_counter() - start
        served = len(bot.service.catalog)
        await runtime.stop()
    return elapsed, served


async def history_latency(count: int = 1000) -> tuple[list[float], float]:
    """`/kfor history nation:Italy` with ``count`` snapshots: latencies (ms) and messages per reply."""
    from bot.app import create_bot

    with tempfile.TemporaryDirectory() as state:
        settings = _settings(state)
        await fill_store(settings.store_url, count)
        bot = create_bot(settings)
        async with simulated(bot) as env:
            channel = env.create_guild().create_text_channel("bench")
            member = env.guild.add_member(env.create_user("bench"))
            marks: dict[str, float] = {}
            messages = 0
            parsers = bot._connection.parsers
            original_parser = parsers["INTERACTION_CREATE"]

            def timed_parser(data):  # type: ignore[no-untyped-def]
                marks["start"] = time.perf_counter()
                return original_parser(data)

            parsers["INTERACTION_CREATE"] = timed_parser
            adapter = env._webhook_adapter
            original_request = adapter.request

            async def timed_request(route, *args, **kwargs):  # type: ignore[no-untyped-def]
                nonlocal messages
                if route.method == "POST":  # the callback and each follow-up: one message each
                    messages += 1
                if route.path.endswith("/callback") and "end" not in marks:
                    marks["end"] = time.perf_counter()
                return await original_request(route, *args, **kwargs)

            adapter.request = timed_request
            assert len(bot.service.catalog) >= count
            await member.slash(channel, "kfor history", nation="Italy")  # warm-up
            messages, samples = 0, []
            for _ in range(REPEAT):
                marks.clear()
                await member.slash(channel, "kfor history", nation="Italy")
                samples.append((marks["end"] - marks["start"]) * 1000)
        return samples, messages / REPEAT


def run() -> list[Figure]:
    print("start-up of the alert runtime on N stored snapshots (store, chain, briefing service):")
    per_snapshot = []
    for count in SIZES:
        runs = [asyncio.run(start_up(count)) for _ in range(3)]
        elapsed, served = min(runs)  # best of 3: the machine's other work only ever adds time
        per_snapshot.append(elapsed / count * 1000)
        print(f"  N={count:>5}: {elapsed:6.3f} s   {per_snapshot[-1]:.3f} ms per snapshot   (best of 3; "
              f"catalogue: {served})")  # fmt: skip
    growth = per_snapshot[-1] / per_snapshot[0]
    quadratic = SIZES[-1] / SIZES[0]
    print(f"  per snapshot at N={SIZES[-1]} vs N={SIZES[0]}: ×{growth:.2f} (linear: ×1; quadratic: ×{quadratic:.0f})")
    samples, messages = asyncio.run(history_latency())
    samples.sort()
    median, p99 = statistics.median(samples), samples[int(len(samples) * 0.99)]
    print("/kfor history nation:Italy with 1,000 snapshots (SimCord, interaction → reply handed to HTTP):")
    print(f"  median {median:.2f} ms   p99 {p99:.2f} ms   {messages:g} message(s) per reply   (n={len(samples)})")
    at_1000 = per_snapshot[SIZES.index(1000)] * 1000  # ms per snapshot × 1,000 snapshots = ms
    return [
        Figure(f"start-up with {SIZES[0]} … {SIZES[-1]} stored snapshots, time per snapshot",
               f"×{growth:.2f} from {SIZES[0]} to {SIZES[-1]} ({at_1000 / 1000:.3f} s at 1,000)",
               "linear (≤ ×1.5; quadratic would be ×8)", growth <= 1.5),
        Figure("`/kfor history` at 1,000 snapshots (SimCord)", f"{median:.2f} ms median, {messages:g} message(s)",
               "≤ 10 ms median, one message", median <= 10 and messages == 1),
    ]  # fmt: skip


if __name__ == "__main__":
    print_goals(run())
