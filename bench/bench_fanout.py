"""Fan-out benchmark (not part of the test run): one changed watch cycle to N subscribed channels, at Discord's pace.

    .venv/bin/python bench/bench_fanout.py [N ...]      # default: 300 1000

For each N: a fresh bot and store, N text channels (100 per simulated server) each subscribed to
the digests, a baseline cycle, then a change of several nations (so the digest carries a chart).
The bot paces its requests at KFOR_DISCORD_REQUESTS_PER_SECOND (50), as in production.

Measured (issue #21), in SimCord:
- the busiest second: the most REST requests that reached SimCord in any one-second window;
- wall time of the changed cycle against its floor (its requests ÷ 50 per second);
- CPU time of the process during the cycle, per destination (the ledger, the digests, discord.py);
- every channel reached, each with one digest.
Then, at the largest N, the very requests SimCord received are sent again through discord.py's own
HTTP client and the bot's pacer (`bot.discord.pacing`) to a stand-in for Discord on 127.0.0.1 that
answers 429 ``global: true`` past 50 requests in any second (tests/discord_standin.py): all at once,
the worst case for the pacer, counting the global 429s it receives.
"""

from __future__ import annotations

import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Figure, print_goals  # noqa: E402
from tests.conftest import SEED_FIGURES, simulated, snapshot_of  # noqa: E402
from tests.discord_standin import DiscordStandIn, busiest_second, discord_standin  # noqa: E402

CHANNELS_PER_GUILD = 100
GLOBAL_LIMIT = 50
GOAL_WALL_OVER_FLOOR = 1.25
GOAL_CPU_MS = 6.0
CHANGED = dict(SEED_FIGURES, **{"United States": 320, "Germany": 300, "Italy": 1200, "Norway": 12})


async def fan_out(channels: int) -> dict[str, Any]:
    """One changed cycle to ``channels`` subscribed channels; its figures."""
    from simcord.http.client import FakeHTTPClient

    from bot.alerts.identity import channel_key
    from bot.app import create_bot
    from bot.settings import Settings

    arrivals: list[float] = []
    original = FakeHTTPClient.request

    async def recorded(self: FakeHTTPClient, route: Any, **kwargs: Any) -> Any:
        arrivals.append(time.monotonic())  # behind the pacer: when the request reaches "Discord"
        return await original(self, route, **kwargs)

    FakeHTTPClient.request = recorded  # type: ignore[method-assign]
    try:
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
                    await runtime.store.subscriptions.subscribe(
                        destination_key=channel_key(channel_id), mission="KFOR", now=now, guild_id=guild_id,
                        channel_id=channel_id)  # fmt: skip
                assert (await runtime.run_cycle()).status == "baseline"
                await env.settle()
                await asyncio.sleep(1.1)  # the baseline's requests out of the pacer's window
                report.write_text(snapshot_of(CHANGED, "2025-06").to_json())
                before, arrived_before = len(env.http_requests), len(arrivals)
                cpu, start_time = time.process_time(), time.perf_counter()
                result = await runtime.run_cycle()
                await env.settle()
                elapsed, cpu = time.perf_counter() - start_time, time.process_time() - cpu
                requests = env.http_requests[before:]
                heads = collections.Counter(
                    r.path.split("/")[2] for r in requests
                    if r.method == "POST" and r.path.endswith("/messages") and (r.json or {}).get("nonce")
                )  # fmt: skip
                reached = sum(heads.get(str(channel_id)) == 1 for _, channel_id in ids)
                assert (result.status, result.sent) == ("changed", channels), result
                replay = [(r.method, r.path, r.json) for r in requests]
    finally:
        FakeHTTPClient.request = original  # type: ignore[method-assign]
    return {"channels": channels, "seconds": elapsed, "floor": len(requests) / GLOBAL_LIMIT,
            "cpu_ms": cpu * 1000 / channels,
            "requests": len(requests), "busiest": busiest_second(arrivals[arrived_before:]), "reached": reached,
            "charts": runtime.charts.drawn, "replay": replay,
            "kinds": collections.Counter(f"{r.method} {_route(r.path)}" for r in requests)}  # fmt: skip


async def at_the_standin(replay: list[tuple[str, str, Any]]) -> dict[str, Any]:
    """The same requests through discord.py's HTTP client and the bot's pacer, to a stand-in enforcing 50/s."""
    from discord.http import HTTPClient, Route

    from bot.discord.pacing import Pacer, pace

    async with discord_standin(DiscordStandIn(limit=GLOBAL_LIMIT)) as standin:
        http = HTTPClient(asyncio.get_running_loop())
        pace(http, Pacer(GLOBAL_LIMIT))
        await http.static_login("token")
        start = time.perf_counter()
        try:
            await asyncio.gather(*(http.request(Route(method, path), json=body) for method, path, body in replay))
        finally:
            await http.close()
        elapsed = time.perf_counter() - start
    return {"requests": len(replay), "seconds": elapsed, "global_429": standin.global_429,
            "busiest": busiest_second(standin.arrivals)}  # fmt: skip


def _route(path: str) -> str:
    """``/channels/123/messages`` → ``/channels/{id}/messages``: requests grouped by route."""
    return "/".join("{id}" if part.isdigit() else part for part in path.split("/"))


def run(sizes: list[int] | None = None) -> list[Figure]:
    sizes = sizes or [300, 1000]
    results = [asyncio.run(fan_out(n)) for n in sizes]
    standin = asyncio.run(at_the_standin(results[-1]["replay"]))
    print("one changed watch cycle to N subscribed channels (SimCord, SQLite, digest with a chart, paced at 50/s):")
    for r in results:
        over = r["seconds"] / r["floor"]
        print(f"  N={r['channels']:>5}: {r['seconds']:6.2f} s (floor {r['floor']:.2f} s, ×{over:.2f})  "
              f"busiest second {r['busiest']}  CPU {r['cpu_ms']:.1f} ms per destination  "
              f"{r['requests'] / r['channels']:.1f} requests per destination  reached {r['reached']}/{r['channels']}  "
              f"charts: {r['charts']}")  # fmt: skip
    last = results[-1]
    print(f"  requests at N={last['channels']}: " + ", ".join(f"{k} ×{v}" for k, v in last["kinds"].items()))
    print(f"  stand-in enforcing {GLOBAL_LIMIT}/s: {standin['requests']} requests at once through the pacer in "
          f"{standin['seconds']:.2f} s, busiest second {standin['busiest']}, "
          f"global 429s: {standin['global_429']}")  # fmt: skip
    sizes_shown = "/".join(str(r["channels"]) for r in results)
    return [
        Figure(f"busiest second of one change to {sizes_shown} channels (SimCord)",
               ", ".join(str(r["busiest"]) for r in results) + " requests", f"≤ {GLOBAL_LIMIT}",
               all(r["busiest"] <= GLOBAL_LIMIT for r in results)),
        Figure(f"wall time over the floor (requests ÷ 50/s), {sizes_shown} channels",
               ", ".join(f"{r['seconds']:.1f} s / {r['floor']:.1f} s = ×{r['seconds'] / r['floor']:.2f}"
                         for r in results),
               f"≤ ×{GOAL_WALL_OVER_FLOOR}", all(r["seconds"] <= GOAL_WALL_OVER_FLOOR * r["floor"] for r in results)),
        Figure(f"CPU per destination, {sizes_shown} channels",
               ", ".join(f"{r['cpu_ms']:.1f}" for r in results) + " ms", f"≤ {GOAL_CPU_MS:g} ms",
               all(r["cpu_ms"] <= GOAL_CPU_MS for r in results)),
        Figure("channels reached, each with one digest",
               ", ".join(f"{r['reached']}/{r['channels']}" for r in results), "every one",
               all(r["reached"] == r["channels"] for r in results)),
        Figure(f"global 429s at a stand-in enforcing {GLOBAL_LIMIT}/s ({standin['requests']} requests at once)",
               f"{standin['global_429']} (busiest second {standin['busiest']})", "0", standin["global_429"] == 0),
        Figure("charts drawn per change, whatever the number of channels", str(max(r["charts"] for r in results)),
               "1", all(r["charts"] == 1 for r in results)),
    ]  # fmt: skip


if __name__ == "__main__":
    print_goals(run([int(a) for a in sys.argv[1:]]))
