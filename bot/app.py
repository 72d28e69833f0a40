"""The composition root of the Discord bot: settings, data and cogs assembled in one place.

``create_bot(settings)`` returns a configured, not-yet-started bot, which tests and the simulator
start themselves; :func:`run_discord` starts it for real with the token.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.briefings.service import BriefingService
from bot.datafiles import load_dataset
from bot.discordbot.admin import AdminCog
from bot.discordbot.alerts_runtime import AlertRuntime
from bot.discordbot.cog import KforCog
from bot.discordbot.sync import sync_commands
from bot.discordbot.tree import NO_MENTIONS, KforCommandTree
from bot.settings import Settings

log = logging.getLogger(__name__)


def gateway_intents() -> discord.Intents:
    """Guilds only: slash commands need no message content and no member list."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


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
        )
        self.service = service
        self.settings = settings
        self.alerts: AlertRuntime | None = None

    async def setup_hook(self) -> None:
        self.alerts = AlertRuntime(self, self.settings, self.service)
        await self.alerts.start()
        await self.add_cog(KforCog(self, self.service, self.settings.chart_cooldown_seconds))
        await self.add_cog(AdminCog(self))
        await sync_commands(self.tree, self.settings.state_dir, self.settings.dev_guild_id)

    async def close(self) -> None:
        if self.alerts is not None:
            await self.alerts.stop()
            self.alerts = None
        await super().close()


def create_bot(settings: Settings | None = None) -> KforBot:
    """A configured bot, not yet started."""
    settings = settings or Settings()
    service = BriefingService(load_dataset(settings.data_dir, settings.config_dir, settings.mission))
    return KforBot(service, settings)


async def run_discord(settings: Settings) -> None:
    """Log in with the token and run until stopped."""
    if settings.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    async with create_bot(settings) as bot:
        await bot.start(settings.discord_token.get_secret_value())
