"""``/kfor-admin``: commands for the bot's owners only (hidden from non-administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.sync import sync_commands
from bot.discordbot.tree import NO_MENTIONS

if TYPE_CHECKING:
    from bot.app import KforBot


async def _is_owner(interaction: discord.Interaction) -> bool:
    client = interaction.client
    if isinstance(client, commands.Bot) and await client.is_owner(interaction.user):
        return True
    raise app_commands.CheckFailure("owner only")


@app_commands.default_permissions(administrator=True)
class AdminCog(commands.GroupCog, group_name="kfor-admin", group_description="kfor-bot administration (owners)"):
    def __init__(self, bot: KforBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="sync", description="Sync the slash commands with Discord now")
    @app_commands.check(_is_owner)
    async def sync(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        done = await sync_commands(self.bot.tree, self.bot.settings.state_dir, self.bot.settings.dev_guild_id,
                                   force=True)  # fmt: skip
        await interaction.followup.send(f"Commands synced ({done}).", ephemeral=True, allowed_mentions=NO_MENTIONS)
