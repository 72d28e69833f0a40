"""What an operator scrapes: Prometheus metrics and a health check, served by the running bot.

Off by default. With ``KFOR_METRICS_PORT`` set, the bot serves on ``KFOR_METRICS_HOST`` (127.0.0.1
unless the operator opens it wider):

- ``GET /metrics`` — the Prometheus text format (prometheus_client, in a registry of this bot's own):
  slash commands by name and outcome with latency histograms, watch cycles by status, deliveries
  by outcome, the source's health and the time of the last change;
- ``GET /healthz`` — 200 while the bot is connected to Discord, 503 otherwise, with a JSON body
  that also names the last watch cycle and any source problem. A source problem does not make the
  bot unhealthy: restarting it would not fix the source.

The server runs in the bot's event loop (aiohttp), so a scrape reads the same state the bot uses,
without locks. prometheus_client is imported only when metrics are on.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import time
from typing import TYPE_CHECKING, Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.alerts.watcher import CycleResult
from bot.sources.location import public_text
from bot.store.health import SourceHealth

if TYPE_CHECKING:
    from collections.abc import Callable

    import discord

log = logging.getLogger(__name__)


class WatchState(Protocol):
    """What ``/healthz`` reads of the alert runtime: its last cycle and the source's health.

    A protocol rather than the runtime's class, which itself reports to these metrics: the two
    modules would otherwise import each other.
    """

    last_result: CycleResult | None
    last_cycle_at: dt.datetime | None
    last_health: SourceHealth | None


#: Latency buckets for slash commands: most answer in milliseconds, charts in a fraction of a second.
COMMAND_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CYCLE_STATUSES = ("baseline", "unchanged", "changed", "problem", "raced", "error")
DELIVERY_OUTCOMES = ("sent", "filtered", "failed", "retry", "unknown")


def _timestamp(moment: dt.datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


class BotMetrics:
    """The bot's metrics, in a registry of its own (so two bots in one process, as in tests, don't clash)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.commands = Histogram("kfor_command_duration_seconds", "Time from a slash command reaching the bot to "
                                  "its handler returning, by command and outcome (ok, user_error, error)",
                                  ["command", "outcome"], buckets=COMMAND_BUCKETS, registry=r)  # fmt: skip
        self.cycles = Counter("kfor_watch_cycles", "Watch cycles run, by status", ["status"], registry=r)
        self.deliveries = Counter("kfor_deliveries", "Deliveries of digests, notices and scheduled briefings, by "
                                  "outcome", ["outcome"], registry=r)  # fmt: skip
        self.source_healthy = Gauge("kfor_source_healthy", "1 while the watched source is usable, 0 while it has "
                                    "a problem", registry=r)  # fmt: skip
        self.source_failures = Gauge("kfor_source_consecutive_failures", "Checks in a row that failed", registry=r)
        self.last_check = Gauge("kfor_source_last_check_timestamp_seconds", "When the source was last checked "
                                "(Unix time; 0: never)", registry=r)  # fmt: skip
        self.last_success = Gauge("kfor_source_last_success_timestamp_seconds", "When the source last gave "
                                  "usable figures (Unix time; 0: never)", registry=r)  # fmt: skip
        self.last_change = Gauge("kfor_last_change_timestamp_seconds", "When the figures last changed "
                                 "(Unix time; 0: never)", registry=r)  # fmt: skip
        self.shard_connected = Gauge("kfor_shard_connected", "1 while a gateway shard this instance runs is "
                                     "connected, by shard", ["shard"], registry=r)  # fmt: skip
        self.shard_latency = Gauge("kfor_shard_latency_seconds", "The gateway heartbeat latency of each shard this "
                                   "instance runs", ["shard"], registry=r)  # fmt: skip
        for status in CYCLE_STATUSES:  # every series exists from the start, so rate() sees the first one
            self.cycles.labels(status)
        for outcome in DELIVERY_OUTCOMES:
            self.deliveries.labels(outcome)

    def command(self, name: str, outcome: str, seconds: float) -> None:
        self.commands.labels(name, outcome).observe(seconds)

    def cycle(self, result: CycleResult | None) -> None:
        """A finished watch cycle (None: it raised)."""
        self.cycles.labels(result.status if result else "error").inc()

    def delivery(self, outcome: str) -> None:
        self.deliveries.labels(outcome).inc()

    def source(self, health: SourceHealth) -> None:
        self.source_healthy.set(0 if health.problem else 1)
        self.source_failures.set(health.consecutive_failures)
        self.last_check.set(_timestamp(health.last_check_at))
        self.last_success.set(_timestamp(health.last_success_at))
        self.last_change.set(_timestamp(health.last_change_at))

    def shards(self, shards: dict[int, tuple[bool, float | None]]) -> None:
        """Each shard's state as a scrape finds it: connected, and its latency when it has one."""
        for shard, (connected, latency) in shards.items():
            self.shard_connected.labels(str(shard)).set(1 if connected else 0)
            if latency is not None:
                self.shard_latency.labels(str(shard)).set(latency)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class CommandTimer:
    """Times slash commands through discord.py's public hooks, keyed by the interaction.

    The tree's ``interaction_check`` marks the start, ``on_app_command_completion`` a success and the
    tree's ``on_error`` a failure. Autocomplete requests are not commands and are not counted.
    """

    KEY = "kfor_started"

    def __init__(self, metrics: BotMetrics) -> None:
        self.metrics = metrics

    def started(self, interaction: discord.Interaction) -> None:
        import discord

        if interaction.type is discord.InteractionType.application_command:
            interaction.extras[self.KEY] = time.perf_counter()

    def finished(self, interaction: discord.Interaction, outcome: str) -> None:
        started = interaction.extras.pop(self.KEY, None)
        if started is None:
            return
        name = interaction.command.qualified_name if interaction.command else "unknown"
        self.metrics.command(name, outcome, time.perf_counter() - started)


class MetricsServer:
    """``/metrics`` and ``/healthz`` on a local port, in the bot's event loop."""

    def __init__(self, metrics: BotMetrics, bot: discord.Client, alerts: Callable[[], WatchState | None]) -> None:
        self.metrics = metrics
        self.bot = bot
        self.alerts = alerts
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self, host: str, port: int) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._health)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("Metrics on http://%s:%d/metrics, health on /healthz", host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _shards(self) -> dict[int, tuple[bool, float | None]]:
        """Each shard this instance runs (one, numbered 0, when the bot is not sharded): connected, latency."""
        shards = getattr(self.bot, "shards", None)
        if not shards:
            connected = self.bot.is_ready() and not self.bot.is_closed()
            return {0: (connected, self.bot.latency if connected and math.isfinite(self.bot.latency) else None)}
        found = {}
        for shard_id, info in shards.items():
            connected = self.bot.is_ready() and not info.is_closed()
            found[shard_id] = (connected, info.latency if connected and math.isfinite(info.latency) else None)
        return found

    async def _metrics(self, _request: web.Request) -> web.Response:
        self.metrics.shards(self._shards())
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _health(self, _request: web.Request) -> web.Response:
        connected = self.bot.is_ready() and not self.bot.is_closed()
        latency = self.bot.latency if connected and math.isfinite(self.bot.latency) else None
        alerts = self.alerts()
        result = alerts.last_result if alerts else None
        health = alerts.last_health if alerts else None
        shards = self._shards()
        connected = connected and all(up for up, _ in shards.values())  # a dead shard's servers hear nothing
        body = {
            "status": "ok" if connected else "disconnected",
            "discord": {"connected": connected, "latency_seconds": latency},
            "shards": {str(s): {"connected": up, "latency_seconds": lat} for s, (up, lat) in shards.items()},
            "last_cycle": None if result is None else {
                "status": result.status, "message": public_text(result.message),
                "at": alerts.last_cycle_at.isoformat() if alerts and alerts.last_cycle_at else None,
            },
            "source": None if health is None else {
                "problem": public_text(health.problem) if health.problem else None,
                "consecutive_failures": health.consecutive_failures,
                "last_success_at": health.last_success_at.isoformat() if health.last_success_at else None,
                "last_change_at": health.last_change_at.isoformat() if health.last_change_at else None,
            },
        }  # fmt: skip
        return web.Response(status=200 if connected else 503, text=json.dumps(body), content_type="application/json")
