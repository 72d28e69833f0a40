"""kfor-bot's Discord client: the gateway connection, its intents, and what it opens and closes.

It is built by the composition root (:func:`bot.app.create_bot`) with the services handed in.
The cogs it adds receive what they use (the service, the alert runtime, the tree), never the bot.
"""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.briefings.service import BriefingService
from bot.discord.admin import AdminCog
from bot.discord.alerts_runtime import AlertRuntime
from bot.discord.cog import KforCog
from bot.discord.pacing import Pacer, pace
from bot.discord.settings_cog import SettingsCog
from bot.discord.sync import sync_commands
from bot.discord.tree import NO_MENTIONS, KforCommandTree
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.discord.metrics import BotMetrics, MetricsServer

log = logging.getLogger(__name__)


def gateway_intents() -> discord.Intents:
    """Guilds only: slash commands need no message content and no member list."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


def shard_options(settings: Settings) -> dict[str, Any]:
    """``shard_count`` and ``shard_ids`` for discord.py's sharded client, when the bot is sharded."""
    if settings.shard_count is None:
        return {}
    return {"shard_count": settings.shard_count, "shard_ids": list(settings.shard_ids) or None}


class KforBot(commands.Bot):
    """kfor-bot's Discord client; services are handed in, never reached through globals."""

    def __init__(self, service: BriefingService, settings: Settings) -> None:
        # kfor-bot has no voice features: don't warn at every start that voice libraries are missing.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=gateway_intents(),
            tree_cls=KforCommandTree,
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            owner_ids=set(settings.owner_ids),  # empty: discord.py asks Discord who owns the application
            **shard_options(settings),
        )
        self.service = service
        self.settings = settings
        self.alerts: AlertRuntime | None = None
        self.pacer: Pacer | None = None
        #: The operator's metrics, when ``KFOR_METRICS_PORT`` is set (prometheus_client is not loaded otherwise).
        self.metrics: BotMetrics | None = None
        self.metrics_server: MetricsServer | None = None
        if settings.metrics_port is not None:
            from bot.discord.metrics import BotMetrics, CommandTimer

            self.metrics = BotMetrics()
            if isinstance(self.tree, KforCommandTree):
                self.tree.timer = CommandTimer(self.metrics)

    async def login(self, token: str) -> None:
        """Log in with every REST request paced, the first one too (see pacing.py).

        discord.py's ``login`` asks for the bot's user and application before it calls ``setup_hook``: the
        pacer goes in here, in front of whichever HTTP client the bot holds by then (a simulator swaps in its
        own before it logs in). A proxy set by ``KFOR_DISCORD_API_BASE`` carries every request from the first
        on, not only the webhooks' (discord.py keeps the API base in one class attribute).
        """
        if self.settings.discord_api_base:
            discord.http.Route.BASE = self.settings.discord_api_base.rstrip("/")
        self.pacer = pace(self.http, Pacer(self.settings.request_budget))
        await super().login(token)

    async def setup_hook(self) -> None:
        self.alerts = AlertRuntime(self, self.settings, self.service, metrics=self.metrics)
        await self.alerts.start()
        if self.metrics is not None and self.settings.metrics_port is not None:
            from bot.discord.metrics import MetricsServer

            self.metrics_server = MetricsServer(self.metrics, self, lambda: self.alerts)
            await self.metrics_server.start(self.settings.metrics_host, self.settings.metrics_port)
        await self.add_cog(KforCog(self.service, self.alerts, self.settings.chart_cooldown_seconds))
        await self.add_cog(SettingsCog(self.service, self.alerts))
        await self.add_cog(AdminCog(self.tree, self.settings.state_dir, self.settings.dev_guild_id))
        await sync_commands(self.tree, self.settings.state_dir, self.settings.dev_guild_id)
        # What start-up built (libraries, data, commands) lives as long as the process: moved out of
        # the cycle collector's sight, its full passes no longer walk it, which took a command's p99
        # from about 1 ms to 5-10 ms whenever one ran mid-command. Reference counting still frees it.
        gc.collect()
        gc.freeze()

    async def on_app_command_completion(self, interaction: discord.Interaction, _command: object) -> None:
        if isinstance(self.tree, KforCommandTree) and self.tree.timer is not None:
            self.tree.timer.finished(interaction, "ok")

    async def close(self) -> None:
        if self.metrics_server is not None:
            await self.metrics_server.stop()
            self.metrics_server = None
        if self.alerts is not None:
            await self.alerts.stop()
            self.alerts = None
        await super().close()


class ShardedKforBot(KforBot, commands.AutoShardedBot):
    """kfor-bot on the gateway shards of ``KFOR_SHARD_IDS`` (all of ``KFOR_SHARD_COUNT`` when unset).

    Discord requires sharding from 2,500 servers. Each instance runs its shards' gateway connections,
    sees their guilds only, and delivers to those guilds' channels; the store keeps the instances
    consistent, as it does for replicas (see :meth:`AlertRuntime.resolve`).
    """
