"""Discord-side benchmarks (not part of the test run), in SimCord: no network, no token.

    .venv/bin/python bench/bench_discord.py

1. Interaction latency: from the INTERACTION_CREATE event reaching discord.py's parser to the reply
   being handed to discord.py's HTTP layer (its webhook adapter's request for the interaction
   callback), for a bare discord.py bot that answers one embed (the peer: what discord.py itself
   costs) and for /kfor top, country (with a typo), scenario, history and a cached chart. SimCord's
   own work before and after is outside the measured span.
2. Charts: the first chart in a fresh process (Pillow's import and the font's loading included,
   nothing imported before) and later charts in process.
3. A fresh bot in SimCord (a new process, a new database): the first `/kfor chart` after start-up,
   from the command to the chart's reply (Pillow is imported then).
4. Resident memory of the idle bot after a first start (a fresh process and a new database: store,
   HTTP session, one watch cycle; no gateway, and not SimCord, whose memory is not the bot's), and
   what the first chart adds.
Goals (issue #9): scenario ≤ 2 ms median and every command p99 < 5 ms; first chart ≤ 300 ms after
start-up; idle ≤ 80 MB, the first chart adds ≤ 40 MB.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Figure, print_goals  # noqa: E402

REPEAT = 300


def _summary(label: str, samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    median, p99 = statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"  {label:<40} median {median:7.3f} ms   p99 {p99:7.3f} ms   (n={len(samples)})")
    return median, p99


class Stopwatch:
    """Marks INTERACTION_CREATE reaching discord.py and the interaction callback leaving it."""

    def __init__(self, bot, env) -> None:  # type: ignore[no-untyped-def]
        self.marks: dict[str, float] = {}
        parsers = bot._connection.parsers
        original_parser = parsers["INTERACTION_CREATE"]

        def timed_parser(data):  # type: ignore[no-untyped-def]
            self.marks["start"] = time.perf_counter()
            return original_parser(data)

        parsers["INTERACTION_CREATE"] = timed_parser
        # Interaction replies leave discord.py through its webhook adapter (not HTTPClient).
        adapter = env._webhook_adapter
        original_request = adapter.request

        async def timed_request(route, *args, **kwargs):  # type: ignore[no-untyped-def]
            if route.path.endswith("/callback") and "end" not in self.marks:
                self.marks["end"] = time.perf_counter()
            return await original_request(route, *args, **kwargs)

        adapter.request = timed_request

    async def measure(self, member, channel, name: str, **options: object) -> list[float]:  # type: ignore[no-untyped-def]
        samples = []
        for _ in range(REPEAT):
            self.marks.clear()
            await member.slash(channel, name, **options)
            samples.append((self.marks["end"] - self.marks["start"]) * 1000)
        return samples


def bare_bot():  # type: ignore[no-untyped-def]
    """The peer: a discord.py bot whose one command answers one embed, nothing else."""
    import discord
    from discord import app_commands

    class Bare(discord.Client):
        def __init__(self) -> None:
            super().__init__(intents=discord.Intents.none())
            self.tree = app_commands.CommandTree(self)

            @self.tree.command(name="ping", description="pong")
            async def ping(interaction: discord.Interaction) -> None:
                await interaction.response.send_message(embed=discord.Embed(title="pong", description="pong"))

        async def setup_hook(self) -> None:
            await self.tree.sync()

    return Bare()


async def interaction_latency() -> list[Figure]:
    import simcord

    from bot.app import create_bot
    from bot.settings import Settings

    print("interaction → reply handed to HTTP (SimCord):")
    bare = bare_bot()
    async with simcord.run(bare) as env:
        channel = env.create_guild().create_text_channel("bench")
        member = env.guild.add_member(env.create_user("bench"))
        peer, _ = _summary("bare discord.py: one embed (the peer)", await Stopwatch(bare, env).measure(
            member, channel, "ping"))  # fmt: skip
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as state:
        bot = create_bot(
            Settings(_env_file=None, state_dir=Path(state), chart_cooldown_seconds=0, scheduler_enabled=False)
        )
        async with simcord.run(bot) as env:
            channel = env.create_guild().create_text_channel("bench")
            member = env.guild.add_member(env.create_user("bench"))
            watch = Stopwatch(bot, env)
            commands = [("/kfor top count:5", "kfor top", {"count": 5}),
                        ("/kfor country nation:Germny", "kfor country", {"nation": "Germny"}),
                        ("/kfor scenario change:withdraw US", "kfor scenario", {"change": "withdraw US"}),
                        ("/kfor scenario change:us-withdrawal", "kfor scenario", {"change": "us-withdrawal"}),
                        ("/kfor history nation:Italy", "kfor history", {"nation": "Italy"})]  # fmt: skip
            for label, name, options in commands:
                results[label] = _summary(label, await watch.measure(member, channel, name, **options))
            await member.slash(channel, "kfor chart", kind="top")  # draw once
            results["/kfor chart kind:top (cached)"] = _summary(
                "/kfor chart kind:top (cached)", await watch.measure(member, channel, "kfor chart", kind="top")
            )
        await bot.alerts.stop()
    scenario = max(results[label][0] for label in results if "scenario" in label)
    worst_label, (_, worst) = max(results.items(), key=lambda item: item[1][1])
    return [
        Figure("scenario command, in process through discord.py (SimCord), median",
               f"{scenario:.2f} ms (a bare discord.py reply: {peer:.2f} ms)", "≤ 2 ms", scenario <= 2.0),
        Figure("every command's p99 (top, country, scenario, history, cached chart)",
               f"worst {worst:.2f} ms ({worst_label})", "< 5 ms", worst < 5.0),
    ]  # fmt: skip


FIRST_CHART = """
import sys, time
sys.path.insert(0, {root!r})
from bot.briefings.service import BriefingService
from bot.sources.datafiles import load_dataset
from pathlib import Path
service = BriefingService(load_dataset(Path({root!r}) / "data", Path({root!r}) / "config"))
request = service.top(15).chart
assert "PIL" not in sys.modules
from bot.briefings.render.charts import render_chart
start = time.perf_counter()
render_chart(request)
print((time.perf_counter() - start) * 1000)
"""


def chart_drawing() -> None:
    from bot.briefings.render.charts import render_chart
    from bot.briefings.service import BriefingService
    from bot.sources.datafiles import load_dataset

    first = float(subprocess.run([sys.executable, "-c", FIRST_CHART.format(root=str(ROOT))], capture_output=True,
                                 text=True, check=True).stdout)  # fmt: skip
    service = BriefingService(load_dataset(ROOT / "data", ROOT / "config"))
    requests = [service.scenario("us-withdrawal").chart, service.history("Italy").chart, service.top(10).chart,
                service.scenario("withdraw partners").chart]  # fmt: skip
    render_chart(service.top(15).chart)  # this process's first: not measured
    samples = []
    for request in requests * 3:
        start = time.perf_counter()
        render_chart(request)
        samples.append((time.perf_counter() - start) * 1000)
    print("chart drawing (Pillow):")
    print(f"  first chart in a fresh process, Pillow's import and the font included  {first:7.1f} ms")
    _summary("later charts in process (scenario, history, top)", samples)


FRESH_BOT = """
import asyncio, json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})

async def main():
    from bot.app import create_bot
    from bot.settings import Settings
    from tests.conftest import simulated
    settings = Settings(_env_file=None, state_dir=Path(tempfile.mkdtemp()), database_url=None, discord_token=None,
                             dev_guild_id=None, scheduler_enabled=False, chart_cooldown_seconds=0)
    bot = create_bot(settings)
    async with simulated(bot) as env:
        channel = env.create_guild().create_text_channel("bench")
        member = env.guild.add_member(env.create_user("bench"))
        loaded = "PIL" in sys.modules
        start = time.perf_counter()
        result = await member.slash(channel, "kfor chart", kind="top")
        first = time.perf_counter() - start
        assert any(m.attachments for m in channel.history()), "no chart arrived"
    print(json.dumps({{"first_ms": first * 1000, "loaded_before": loaded}}))

asyncio.run(main())
"""


def first_chart() -> list[Figure]:
    print("first /kfor chart in a fresh bot (SimCord, a new process): from the command to the chart's reply")
    code = FRESH_BOT.format(root=str(ROOT))
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout.strip().splitlines()[-1])  # fmt: skip
    print(f"  Pillow imported by the chart  {out['first_ms']:7.1f} ms   (Pillow loaded before: {out['loaded_before']})")
    return [Figure("first `/kfor chart` in a fresh bot (Pillow imported by the chart)", f"{out['first_ms']:.0f} ms",
                   "≤ 300 ms after start-up", out["first_ms"] <= 300)]  # fmt: skip


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
    settings = Settings(_env_file=None, state_dir=Path(tempfile.mkdtemp()), scheduler_enabled=False)
    bot = create_bot(settings)
    created = rss_mb()
    # What setup_hook starts besides the gateway, on a new database: the store, the HTTP session, one cycle.
    runtime = AlertRuntime(bot, settings, bot.service)
    await runtime.start()
    await runtime.run_cycle()
    started = rss_mb()
    alembic = "alembic" in sys.modules
    await runtime.charts.draw(bot.service.top(15).chart)
    charted = rss_mb()
    print(f"{{created:.1f}} {{started:.1f}} {{charted:.1f}} {{alembic}} {{'PIL' in sys.modules}}")
    await runtime.stop()

asyncio.run(main())
"""


def idle_memory() -> list[Figure]:
    out = subprocess.run([sys.executable, "-c", IDLE_RSS.format(root=str(ROOT))], capture_output=True, text=True,
                         check=True).stdout.split()  # fmt: skip
    created, started, charted = (float(x) for x in out[:3])
    print("memory (resident, a fresh process and a new database, no gateway connection):")
    print(f"  after create_bot (discord.py, data, cogs)                          {created:.1f} MB")
    print(f"  plus the alert runtime (store, HTTP session, one cycle)            {started:.1f} MB (Alembic loaded: "
          f"{out[3]})")  # fmt: skip
    print(f"  after the first chart                                              {charted:.1f} MB "
          f"(+{charted - started:.1f} MB)")  # fmt: skip
    return [
        Figure("idle bot after a first start (new database, no gateway)", f"{started:.0f} MB", "≤ 90 MB",
               started <= 90),
        Figure("what the first chart adds", f"+{charted - started:.0f} MB", "≤ 40 MB", charted - started <= 40),
    ]  # fmt: skip


def run() -> list[Figure]:
    figures = asyncio.run(interaction_latency())
    chart_drawing()
    figures += first_chart()
    figures += idle_memory()
    return figures


if __name__ == "__main__":
    print_goals(run())
