"""Discord-side benchmarks (not part of the test run), in SimCord: no network, no token.

    .venv/bin/python bench/bench_discord.py

1. Interaction latency: from the INTERACTION_CREATE event reaching discord.py's parser to the reply
   being handed to discord.py's HTTP layer (its webhook adapter's request for the interaction callback), for
   /kfor top, country (with a typo) and scenario. SimCord's own work before and after is outside
   the measured span. Targets (issue #3): median < 2 ms, p99 < 10 ms.
2. Charts: drawing time (first chart includes importing matplotlib), and the cached path measured
   as in 1. Targets: < 300 ms drawn, < 5 ms cached.
3. Resident memory of the idle bot after start-up, before any chart (a fresh process). Target < 100 MB.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEAT = 300


def _summary(label: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"  {label:<40} median {statistics.median(samples):7.3f} ms   p99 {p99:7.3f} ms   (n={len(samples)})")


async def interaction_latency() -> None:
    import simcord

    from bot.app import create_bot
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as state:
        bot = create_bot(
            Settings(_env_file=None, state_dir=Path(state), chart_cooldown_seconds=0, scheduler_enabled=False)
        )
        async with simcord.run(bot) as env:
            guild = env.create_guild()
            channel = guild.create_text_channel("bench")
            member = guild.add_member(env.create_user("bench"))
            marks: dict[str, float] = {}
            parsers = bot._connection.parsers
            original_parser = parsers["INTERACTION_CREATE"]

            def timed_parser(data):  # type: ignore[no-untyped-def]
                marks["start"] = time.perf_counter()
                return original_parser(data)

            parsers["INTERACTION_CREATE"] = timed_parser
            # Interaction replies leave discord.py through its webhook adapter (not HTTPClient).
            adapter = env._webhook_adapter
            original_request = adapter.request

            async def timed_request(route, *args, **kwargs):  # type: ignore[no-untyped-def]
                if route.path.endswith("/callback") and "end" not in marks:
                    marks["end"] = time.perf_counter()
                return await original_request(route, *args, **kwargs)

            adapter.request = timed_request

            async def measure(name: str, **options: object) -> list[float]:
                samples = []
                for _ in range(REPEAT):
                    marks.clear()
                    await member.slash(channel, name, **options)
                    samples.append((marks["end"] - marks["start"]) * 1000)
                return samples

            print("interaction → reply handed to HTTP (SimCord):")
            _summary("/kfor top count:5", await measure("kfor top", count=5))
            _summary("/kfor country nation:Germny", await measure("kfor country", nation="Germny"))
            _summary("/kfor scenario change:withdraw US", await measure("kfor scenario", change="withdraw US"))
            await member.slash(channel, "kfor chart", kind="top")  # draw once
            _summary("/kfor chart kind:top (cached)", await measure("kfor chart", kind="top"))
        await bot.alerts.stop()


def chart_drawing() -> None:
    from bot.briefings.render.charts import render_chart
    from bot.briefings.service import BriefingService
    from bot.sources.datafiles import load_dataset

    service = BriefingService(load_dataset(ROOT / "data", ROOT / "config"))
    requests = [service.top(15).chart, service.scenario("us-withdrawal").chart, service.history("Italy").chart,
                service.top(10).chart, service.scenario("withdraw partners").chart]  # fmt: skip
    start = time.perf_counter()
    render_chart(requests[0])
    first = (time.perf_counter() - start) * 1000
    samples = []
    for request in requests[1:] * 3:
        start = time.perf_counter()
        render_chart(request)
        samples.append((time.perf_counter() - start) * 1000)
    print("chart drawing (matplotlib Agg, in process):")
    print(f"  first chart, including the matplotlib import  {first:7.1f} ms")
    _summary("later charts (top, scenario, history)", samples)


IDLE_RSS = """
import asyncio, sys, tempfile
from pathlib import Path
sys.path.insert(0, {root!r})
from bot.app import create_bot
from bot.discord.alerts_runtime import AlertRuntime
from bot.settings import Settings

def rss_mb():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024

async def main():
    settings = Settings(_env_file=None, state_dir=Path(tempfile.mkdtemp()))
    bot = create_bot(settings)
    created = rss_mb()
    # What setup_hook starts besides the gateway: the store, the HTTP session, the scheduler, one cycle.
    runtime = AlertRuntime(bot, settings, bot.service)
    await runtime.start()
    await runtime.run_cycle()
    started = rss_mb()
    print(f"{{created:.1f}} {{started:.1f}} {{'matplotlib' in sys.modules}}")
    await runtime.stop()

asyncio.run(main())
"""


def idle_memory() -> None:
    out = subprocess.run([sys.executable, "-c", IDLE_RSS.format(root=str(ROOT))], capture_output=True, text=True,
                         check=True).stdout.split()  # fmt: skip
    created, started, charts = out
    print("memory (resident, a fresh process, no gateway connection):")
    print(f"  after create_bot (discord.py, data, cogs)                         {created} MB")
    print(
        f"  plus the alert runtime (store, HTTP session, scheduler, one cycle)  {started} MB; "
        f"matplotlib loaded: {charts}"
    )


if __name__ == "__main__":
    asyncio.run(interaction_latency())
    chart_drawing()
    idle_memory()
