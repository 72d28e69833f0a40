"""Fan-out benchmark (not part of the test run): one changed watch cycle to N subscribed channels, in SimCord.

    .venv/bin/python bench/bench_fanout.py [N ...]      # default: 10 100 1000

For each N: a fresh bot and store, N text channels (100 per simulated server) each subscribed to
the digests, a baseline cycle, then a change of several nations (so the digest carries a chart).
Measured: the wall time of that one changed cycle until every message has settled, per channel;
the REST requests the bot made per destination (SimCord logs each one); how many charts were drawn.
Run alone, the first size also pays for Pillow's import, the font and the first draw (under
`make bench`, bench_discord has drawn already), so the goal is judged at 100 and 1,000 channels.
Goal (issue #9): ≤ 15 ms per channel with the chart, one chart drawn per change.
"""

from __future__ import annotations

import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Figure, print_goals  # noqa: E402
from tests.conftest import SEED_FIGURES, simulated, snapshot_of  # noqa: E402

CHANNELS_PER_GUILD = 100
GOAL_MS_PER_CHANNEL = 15.0
CHANGED = dict(SEED_FIGURES, **{"United States": 320, "Germany": 300, "Italy": 1200, "Norway": 12})


async def fan_out(channels: int) -> dict[str, float]:
    """One changed cycle to ``channels`` subscribed channels; its figures."""
    from bot.alerts.identity import channel_key
    from bot.app import create_bot
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as state:
        report = Path(state) / "watched.json"
        report.write_text((ROOT / "data" / "snapshots" / "kfor" / "2025-02.json").read_text())
        settings = Settings(_env_file=None, state_dir=Path(state), source=str(report), database_url=None,
                            discord_token=None, dev_guild_id=None, scheduler_enabled=False)  # fmt: skip
        bot = create_bot(settings)
        async with simulated(bot) as env:
            runtime = bot.alerts
            ids = []
            for start in range(0, channels, CHANNELS_PER_GUILD):
                guild = env.create_guild(f"server {start // CHANNELS_PER_GUILD}")
                for i in range(start, min(start + CHANNELS_PER_GUILD, channels)):
                    ids.append((guild.id, guild.create_text_channel(f"kfor-{i}").id))
            now = runtime.watcher.clock()
            for guild_id, channel_id in ids:
                key = channel_key(channel_id)
                await runtime.store.subscriptions.subscribe(destination_key=key, mission="KFOR", now=now,
                                                            guild_id=guild_id, channel_id=channel_id)  # fmt: skip
            assert (await runtime.run_cycle()).status == "baseline"
            await env.settle()
            report.write_text(snapshot_of(CHANGED, "2025-06").to_json())
            before = len(env.http_requests)
            start_time = time.perf_counter()
            result = await runtime.run_cycle()
            await env.settle()
            elapsed = time.perf_counter() - start_time
            drawn = runtime.charts.drawn
            requests = env.http_requests[before:]
            assert (result.status, result.sent) == ("changed", channels), result
            kinds = collections.Counter(f"{r.method} {_route(r.path)}" for r in requests)
    return {"channels": channels, "seconds": elapsed, "ms_per_channel": elapsed * 1000 / channels,
            "requests_per_destination": len(requests) / channels, "charts": drawn, "kinds": kinds}  # fmt: skip


def _route(path: str) -> str:
    """``/channels/123/messages`` → ``/channels/{id}/messages``: requests grouped by route."""
    return "/".join("{id}" if part.isdigit() else part for part in path.split("/"))


def run(sizes: list[int] | None = None) -> list[Figure]:
    sizes = sizes or [10, 100, 1000]
    results = [asyncio.run(fan_out(n)) for n in sizes]
    print("one changed watch cycle to N subscribed channels (SimCord, SQLite, digest with a chart):")
    for r in results:
        print(f"  N={r['channels']:>5}: {r['seconds']:7.2f} s   {r['ms_per_channel']:6.1f} ms per channel   "
              f"{r['requests_per_destination']:.1f} requests per destination   charts: {r['charts']}")  # fmt: skip
    last = results[-1]
    kinds = ", ".join(f"{k} ×{v}" for k, v in last["kinds"].items())  # type: ignore[union-attr]
    print(f"  requests at N={last['channels']}: {kinds}")
    per_channel = ", ".join(f"{r['ms_per_channel']:.1f}" for r in results)
    charts = max(r["charts"] for r in results)
    judged = [r["ms_per_channel"] for r in results if r["channels"] >= 100]
    holds = bool(judged) and max(judged) <= GOAL_MS_PER_CHANNEL
    return [
        Figure(f"one changed cycle to {'/'.join(str(r['channels']) for r in results)} channels (SimCord), per channel",
               f"{per_channel} ms; {last['requests_per_destination']:.1f} requests per destination",
               "≤ 15 ms per channel with a chart (at 100 and 1,000)", holds),
        Figure("charts drawn per change, whatever the number of channels", f"{charts}", "1", charts == 1),
    ]  # fmt: skip


if __name__ == "__main__":
    print_goals(run([int(a) for a in sys.argv[1:]]))
